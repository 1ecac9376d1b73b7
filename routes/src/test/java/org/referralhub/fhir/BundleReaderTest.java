package org.referralhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.intake.CanonicalField;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.NotRead;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralStatus;

/** An agency's transaction Bundle, read through the built-in FHIR mapping into the same referral as any channel's. */
class BundleReaderTest {

    private static final HubConfiguration CONFIG = Samples.demoConfiguration();
    private static final Agency CICS = CONFIG.agency("cics").orElseThrow();
    private final ReferralIntake intake = new ReferralIntake(CONFIG);
    private final BundleReader reader = new BundleReader(intake);

    @Test
    void theSampleBundleReadsAsTheClientItDescribes() {
        BundleReader.Read read = reader.readBundle(CICS, bytes(sample()));
        assertThat(read.bundle().problems()).isEmpty();
        assertThat(read.draft().errors()).isEmpty();
        assertThat(read.draft().value(CanonicalField.FIRST_NAME)).isEqualTo("Amara");
        assertThat(read.draft().value(CanonicalField.LAST_NAME)).isEqualTo("Okafor");
        assertThat(read.draft().value(CanonicalField.EMAIL)).isEqualTo("amara.okafor@example.org");
        assertThat(read.draft().value(CanonicalField.BIRTH_DATE)).isEqualTo(LocalDate.of(1990, 6, 2));
        assertThat(read.draft().value(CanonicalField.ARRIVAL_DATE)).isEqualTo(LocalDate.of(2024, 3, 15));
        assertThat(read.draft().value(CanonicalField.ENGLISH_LEVEL)).isEqualTo(8);
        assertThat(read.draft().value(CanonicalField.YEARS_OF_EXPERIENCE)).isEqualTo(8);
        assertThat(read.draft().value(CanonicalField.COUNTRY_OF_ORIGIN)).isEqualTo("NG");
        assertThat(read.draft().value(CanonicalField.AGENCY_REFERENCE)).isEqualTo("CICS-2026-0042");
        assertThat(read.draft().value(CanonicalField.CONSENT_GIVEN)).isEqualTo(true);
        // Consent.policyRule is the one element of the sample the mapping does not read, and it is said
        assertThat(read.draft().notRead()).extracting(NotRead::name).containsExactly("Consent.policyRule");

        Instant now = Instant.parse("2026-11-23T15:00:00Z");
        Referral referral = intake.assemble(new ReferralIntake.Receipt(ReferralIds.newId(now), CICS, Channel.FHIR,
                CICS.fhirMapping(), now, "s3://archive/x"), read.draft());
        assertThat(referral.status()).isEqualTo(ReferralStatus.REQUESTED);
        assertThat(referral.partnerId()).isEqualTo("jvs-toronto");
        assertThat(referral.source().channel()).isEqualTo(Channel.FHIR);
    }

    @Test
    void aServiceRequestAndTaskAloneCarryTheClientContained() {
        ObjectNode bundle = sample();
        ArrayNode entries = (ArrayNode) bundle.get("entry");
        ObjectNode patient = (ObjectNode) entries.get(0).get("resource").deepCopy();
        patient.put("id", "p1");
        ObjectNode serviceRequest = (ObjectNode) entries.get(2).get("resource");
        serviceRequest.putArray("contained").add(patient);
        serviceRequest.putObject("subject").put("reference", "#p1");
        ((ObjectNode) entries.get(3).get("resource")).remove("for");
        for (int i : new int[]{7, 6, 5, 4, 1, 0}) {
            entries.remove(i);
        }
        BundleReader.Read read = reader.readBundle(CICS, bytes(bundle));
        assertThat(read.bundle().problems()).isEmpty();
        assertThat(read.draft().value(CanonicalField.LAST_NAME)).isEqualTo("Okafor");
        // no Consent and no Observation came: nothing of them to read, and the screening will say what is missing
        assertThat(read.draft().has(CanonicalField.CONSENT_GIVEN)).isFalse();
    }

    @Test
    void whatMakesItNotOneReferralIsNamedByItsPlace() {
        ObjectNode bundle = sample();
        ArrayNode entries = (ArrayNode) bundle.get("entry");
        entries.add(entries.get(3).deepCopy());
        entries.addObject().put("fullUrl", "urn:uuid:x").putObject("resource").put("resourceType", "Condition");
        ((ObjectNode) entries.get(9)).putObject("request").put("method", "POST");
        ((ObjectNode) entries.get(2)).putObject("request").put("method", "PUT");
        List<String> problems = reader.readBundle(CICS, bytes(bundle)).bundle().problems();
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("entry[9] is a Condition"))
                .anySatisfy(p -> assertThat(p).contains("entry[2] (ServiceRequest) asks for 'PUT'"))
                .anySatisfy(p -> assertThat(p).contains("2 Task resources"));
    }

    @Test
    void aTaskWhoseFocusIsElsewhereOrThatIsNotNewIsRefused() {
        ObjectNode bundle = sample();
        ObjectNode task = (ObjectNode) bundle.get("entry").get(3).get("resource");
        task.putObject("focus").put("reference", "ServiceRequest/somewhere-else");
        task.put("status", "completed");
        assertThat(reader.readBundle(CICS, bytes(bundle)).bundle().problems())
                .anySatisfy(p -> assertThat(p).startsWith("Task.focus does not name the Bundle's ServiceRequest"))
                .anySatisfy(p -> assertThat(p).startsWith("Task.status is 'completed'"));
    }

    @Test
    void anythingButATransactionBundleIsUnreadable() {
        assertThatThrownBy(() -> reader.readBundle(CICS, bytes(CanonicalJson.MAPPER.createObjectNode()
                .put("resourceType", "Patient")))).isInstanceOf(ChannelReader.Unreadable.class)
                .hasMessageContaining("is a Patient, not a Bundle");
        ObjectNode batch = sample().put("type", "batch");
        assertThatThrownBy(() -> reader.readBundle(CICS, bytes(batch))).isInstanceOf(ChannelReader.Unreadable.class)
                .hasMessageContaining("Bundle.type is 'batch'");
        assertThatThrownBy(() -> reader.readBundle(CICS, "{\"resourceType\":\"Bundle\"}{}".getBytes()))
                .isInstanceOf(ChannelReader.Unreadable.class).hasMessageContaining("more after the JSON object");
    }

    @Test
    void anElementOrObservationTheMappingDoesNotReadIsSaidByName() {
        ObjectNode bundle = sample();
        ArrayNode entries = (ArrayNode) bundle.get("entry");
        ((ObjectNode) entries.get(3).get("resource")).putObject("owner").put("reference", "Organization/costi");
        ((ObjectNode) entries.get(0).get("resource")).put("gender", "female");
        ((ArrayNode) entries.get(0).get("resource").get("telecom")).addObject().put("system", "fax").put("value", "x");
        ((ArrayNode) entries.get(0).get("resource").get("extension")).addObject()
                .put("url", "https://cics.example/fhir/clb").put("valueInteger", 7);
        ObjectNode observation = (ObjectNode) entries.get(4).deepCopy();
        ((ObjectNode) observation.get("resource")).putObject("code").putArray("coding").addObject()
                .put("system", "http://loinc.org").put("code", "8302-2");
        entries.add(observation);
        assertThat(reader.readBundle(CICS, bytes(bundle)).draft().notRead()).extracting(NotRead::name)
                .contains("Task.owner", "Patient.gender", "Observation 8302-2", "Patient.telecom[2] (fax)",
                        "Patient.extension[1] (https://cics.example/fhir/clb)");
    }

    @Test
    void theSandboxReadsABundleAsTheDoorDoes() {
        List<String> problems = new java.util.ArrayList<>();
        List<ChannelReader.Labelled> drafts = new java.util.ArrayList<>();
        reader.read(CICS, null, bytes(sample()), new ChannelReader.Found() {
            @Override
            public void draft(ChannelReader.Labelled draft) {
                drafts.add(draft);
            }

            @Override
            public void problem(String problem) {
                problems.add(problem);
            }
        });
        assertThat(problems).isEmpty();
        assertThat(drafts).singleElement().extracting(ChannelReader.Labelled::where).isEqualTo("the Bundle");
    }

    private static ObjectNode sample() {
        return (ObjectNode) Samples.payload("cics-fhir-bundle.json");
    }

    private static byte[] bytes(JsonNode json) {
        return CanonicalJson.write(json).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
