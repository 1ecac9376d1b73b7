package org.referralhub.referral;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.config.HubConfiguration;
import org.referralhub.fhir.BundleReader;
import org.referralhub.intake.ReferralIntake;

/** The Java model and the published JSON Schema describe the same canonical referral. */
class ReferralSchemaTest {

    private static final JsonSchema SCHEMA = load();

    private static JsonSchema load() {
        try (InputStream in = ReferralSchemaTest.class.getClassLoader().getResourceAsStream("schema/referral-v1.schema.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Referral referral(String agencyId, String sample) {
        HubConfiguration config = Samples.demoConfiguration();
        Instant now = Instant.parse("2026-11-23T15:00:00.123Z");
        var agency = config.agency(agencyId).orElseThrow();
        Referral referral = new ReferralIntake(config).assemble(new ReferralIntake.Receipt(ReferralIds.newId(now), agency,
                Channel.WEBHOOK, agency.webhookMapping(), now, "s3://archive/raw/webhook/x.json"), Samples.payload(sample));
        return referral.withDelivery(referral.delivery().delivered(new DeliveryAttempt(1, now, Channel.WEBHOOK,
                referral.partnerId(), DeliveryAttempt.Outcome.DELIVERED, 200, 12, null)));
    }

    @Test
    void everySampleReferralConformsToTheSchema() throws Exception {
        for (String[] sample : new String[][]{{"cics", "cics-canonical.json"}, {"cet", "cet-formtool.json"},
                {"college-boreal", "college-boreal-crm.json"}, {"polycultural", "polycultural-crm.json"}}) {
            JsonNode json = CanonicalJson.MAPPER.readTree(CanonicalJson.write(referral(sample[0], sample[1])));
            assertThat(SCHEMA.validate(json)).as(sample[1]).isEmpty();
        }
    }

    @Test
    void aReferralByFhirWithItsPartnersOutputsConformsAndReadsBackEqual() throws Exception {
        HubConfiguration config = Samples.demoConfiguration();
        Instant now = Instant.parse("2026-11-23T15:00:00.123Z");
        var agency = config.agency("cics").orElseThrow();
        ReferralIntake intake = new ReferralIntake(config);
        Referral referral = intake.assemble(new ReferralIntake.Receipt(ReferralIds.newId(now), agency, Channel.FHIR,
                agency.fhirMapping(), now, "s3://archive/raw/fhir/x.json"), new BundleReader(intake).readBundle(agency,
                CanonicalJson.write(Samples.payload("cics-fhir-bundle.json")).getBytes(StandardCharsets.UTF_8)).draft())
                .withOutputs(List.of(new Output("mentor match", "matched", now, "partner:jvs-toronto")));
        JsonNode json = CanonicalJson.MAPPER.readTree(CanonicalJson.write(referral));
        assertThat(json.at("/source/channel").asText()).isEqualTo("fhir");
        assertThat(json.at("/outputs/0/type").asText()).isEqualTo("mentor match");
        assertThat(SCHEMA.validate(json)).isEmpty();
        assertThat(CanonicalJson.readReferral(CanonicalJson.write(referral))).isEqualTo(referral);
    }

    @Test
    void theSchemaRefusesWhatTheModelNeverProduces() throws Exception {
        ObjectNode json = (ObjectNode) CanonicalJson.MAPPER.readTree(CanonicalJson.write(referral("cics", "cics-canonical.json")));
        ((ObjectNode) json.get("client")).put("phone", "416 555 0123").put("postalCode", "m2n6k1");
        json.put("status", "lost");
        Set<ValidationMessage> errors = SCHEMA.validate(json);
        assertThat(errors).extracting(ValidationMessage::getInstanceLocation).map(Object::toString)
                .contains("/client/phone", "/client/postalCode", "/status");
    }

    @Test
    void aStoredReferralReadsBackEqual() {
        Referral referral = referral("college-boreal", "college-boreal-crm.json");
        assertThat(CanonicalJson.readReferral(CanonicalJson.write(referral))).isEqualTo(referral);
    }
}
