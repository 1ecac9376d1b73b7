package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FHIR loop end to end, with clients no one here wrote: an agency's system posts a transaction Bundle built with
 * HAPI FHIR's model and generic client (and README's curl command posts the shipped sample), the referral is screened,
 * routed and delivered like any other; its partner polls its Tasks with HAPI's client and moves the Task; the agency
 * is told on its own channel. Every answer is valid base R4 by HAPI's validator.
 */
class FhirAgencyIT {

    private static final Map<String, String> AGENCY_KEYS = LocalHub.demoKeys();
    private static final Map<String, String> PARTNER_KEYS = LocalHub.demoPartnerKeys();
    private static final String FACTS = "https://referral-hub.org/fhir/CodeSystem/client-facts";

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static HubClient agencies;

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300));
        agencies = new HubClient(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static IGenericClient client(String key) {
        return FhirR4.client(hub.baseUrl() + "/fhir/r4", key);
    }

    @Test
    void anAgencyRefersByBundleThePartnerPollsAndMovesTheTaskAndTheAgencyIsTold() throws Exception {
        String reference = "CICS-FHIR-" + UUID.randomUUID();
        Bundle transaction = referral(reference, 8);
        FhirR4.valid(transaction);
        String mark = Instant.now().minusSeconds(1).toString();

        Bundle answer = client(AGENCY_KEYS.get("cics")).transaction().withBundle(transaction).execute();
        FhirR4.valid(answer);
        assertThat(answer.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(answer.getEntry()).hasSameSizeAs(transaction.getEntry());
        Bundle.BundleEntryResponseComponent taskCreated = answer.getEntry().get(3).getResponse();
        assertThat(taskCreated.getStatus()).isEqualTo("201 Created");
        String id = taskCreated.getLocation().substring("Task/".length());
        assertThat(answer.getEntry().get(2).getResponse().getLocation()).isEqualTo("ServiceRequest/" + id);
        OperationOutcome said = (OperationOutcome) taskCreated.getOutcome();
        assertThat(said.getIssueFirstRep().getDiagnostics()).contains("referral " + id, "requested", "routed to partner");

        // the referral is the same canonical referral as any channel's, delivered like any other
        JsonNode referral = agencies.awaitReferral(id, AGENCY_KEYS.get("cics"),
                r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));
        assertThat(referral.at("/source/channel").asText()).isEqualTo("fhir");
        assertThat(referral.at("/source/agencyReference").asText()).isEqualTo(reference);
        assertThat(referral.at("/client/englishLevel").asInt()).isEqualTo(8);
        assertThat(referral.at("/client/arrivalDate").asText()).isEqualTo("2024-03-15");
        String partner = referral.at("/routing/partnerId").asText();

        // the partner polls its Tasks changed since its last poll, as the SDOHCC guide's light recipients do
        IGenericClient fhir = client(PARTNER_KEYS.get(partner));
        Bundle changed = fhir.search().forResource(Task.class).where(Task.OWNER.hasId("Organization/" + partner))
                .lastUpdated(new DateRangeParam().setLowerBound("gt" + mark)).returnBundle(Bundle.class).execute();
        Task task = changed.getEntry().stream().map(e -> (Task) e.getResource())
                .filter(t -> t.getIdElement().getIdPart().equals(id)).findFirst().orElseThrow();
        FhirR4.valid(task);
        // the guide's TaskForReferralManagement, for a referral that came as a Bundle as for any other
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(task.getCode().getCodingFirstRep().getCode()).isEqualTo("fulfill");
        assertThat(task.getFocus().getReference()).isEqualTo("ServiceRequest/" + id);
        assertThat(task.getFor().getReference()).isEqualTo("#client");
        assertThat(task.getAuthoredOn()).isNotNull();
        assertThat(task.getRequester().getReference()).isEqualTo("Organization/cics");
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/" + partner);
        assertThat(task.getIdentifierFirstRep().getValue()).isEqualTo(reference);

        task.setStatus(Task.TaskStatus.ACCEPTED);
        task.getBusinessStatus().setText("contacted");
        FhirR4.valid(fhir.update().resource(task).execute().getResource());

        // the agency hears of it on its own channel (CICS: a signed webhook call)
        List<String> told = List.of();
        for (int i = 0; i < 100 && !told.contains("accepted"); i++) {
            Thread.sleep(150);
            List<String> statuses = new ArrayList<>();
            agencies.get("/sandbox/agencies/cics/deliveries", null).body().path("deliveries").forEach(d -> {
                if (id.equals(d.at("/referral/referralId").asText()) && d.path("signatureVerified").asBoolean()) {
                    statuses.add(d.at("/referral/status").asText());
                }
            });
            told = statuses;
        }
        assertThat(told).contains("accepted");

        // the same Bundle sent again is the same referral
        Bundle again = client(AGENCY_KEYS.get("cics")).transaction().withBundle(transaction).execute();
        assertThat(again.getEntry().get(3).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(again.getEntry().get(3).getResponse().getLocation()).isEqualTo("Task/" + id);
    }

    @Test
    void aClientScreenedOutIsAnsweredWithTheReasonAndABundleThatIsNotOneReferralIsAnOperationOutcome() {
        IGenericClient cics = client(AGENCY_KEYS.get("cics"));
        Bundle low = cics.transaction().withBundle(referral("CICS-FHIR-" + UUID.randomUUID(), 4)).execute();
        Bundle.BundleEntryResponseComponent task = low.getEntry().get(3).getResponse();
        assertThat(task.getStatus()).isEqualTo("201 Created");
        OperationOutcome said = (OperationOutcome) task.getOutcome();
        assertThat(said.getIssueFirstRep().getDiagnostics()).contains("rejected (not-eligible)", "not routed");
        assertThat(said.getIssue()).anySatisfy(i -> assertThat(i.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING));

        Bundle twoTasks = referral("CICS-FHIR-" + UUID.randomUUID(), 8);
        twoTasks.addEntry().setResource(new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Task");
        UnprocessableEntityException refused = assertThrows(UnprocessableEntityException.class,
                () -> cics.transaction().withBundle(twoTasks).execute());
        OperationOutcome outcome = (OperationOutcome) refused.getOperationOutcome();
        FhirR4.valid(outcome);
        assertThat(outcome.getIssue()).anySatisfy(i -> assertThat(i.getDiagnostics()).contains("2 Task resources"));
    }

    @Test
    void readmesCurlCommandReferTheShippedSampleBundle() throws Exception {
        Path sample = Path.of("..", "routes", "src", "main", "resources", "samples", "cics-fhir-bundle.json");
        String unique = new String(Files.readAllBytes(sample), StandardCharsets.UTF_8)
                .replace("CICS-2026-0042", "CICS-CURL-" + UUID.randomUUID());
        Path body = Files.writeString(data.resolve("bundle-" + UUID.randomUUID() + ".json"), unique);
        Process curl = new ProcessBuilder("curl", "-sS", "-X", "POST", hub.baseUrl() + "/fhir/r4",
                "-H", "Authorization: Bearer " + AGENCY_KEYS.get("cics"),
                "-H", "Content-Type: application/fhir+json", "--data-binary", "@" + body)
                .redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.exitValue()).as(out).isZero();
        Bundle answer = FhirR4.FHIR.newJsonParser().parseResource(Bundle.class, out);
        FhirR4.valid(answer);
        String location = answer.getEntry().get(3).getResponse().getLocation();
        assertThat(location).startsWith("Task/");
        JsonNode referral = agencies.get("/v1/referrals/" + location.substring(5), AGENCY_KEYS.get("cics")).body();
        // archived byte for byte before it was read
        assertThat(Files.readString(Path.of(URI.create(referral.at("/source/rawPayloadRef").asText()))))
                .isEqualTo(unique);
    }

    /** A referral as an agency's FHIR system would send it: Patient, Consent, ServiceRequest, Task, Observations. */
    private static Bundle referral(String reference, int englishLevel) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = new Patient();
        // each referral its own client: the hub would rightly take a second referral of one client as a repeat
        String family = "Haddad" + surnameSuffix();
        patient.addName().setFamily(family).addGiven("Rania");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("rania." + family.toLowerCase()
                + "@example.org");
        patient.setBirthDateElement(new DateType("1988-09-12"));
        patient.addAddress().setCity("Toronto").setPostalCode("M2N 5W9").setCountry("CA");
        patient.addCommunication().setPreferred(true).setLanguage(new CodeableConcept(new Coding("urn:ietf:bcp:47", "ar", null)));
        String patientUrl = add(bundle, patient);
        Consent consent = new Consent().setStatus(Consent.ConsentState.ACTIVE)
                .setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)))
                .addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", null)))
                .setPatient(new Reference(patientUrl)).setDateTimeElement(new DateTimeType("2026-11-30T15:00:00Z"));
        consent.addPolicy().setUri("https://cics.example/consent/mentoring");
        add(bundle, consent);
        ServiceRequest request = new ServiceRequest().setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER).setSubject(new Reference(patientUrl));
        request.addIdentifier().setSystem("https://cics.example/cases").setValue(reference);
        request.getCode().setText("Mentoring for internationally trained professionals");
        String requestUrl = add(bundle, request);
        Task task = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER)
                .setFocus(new Reference(requestUrl)).setFor(new Reference(patientUrl));
        task.getCode().addCoding().setSystem("http://hl7.org/fhir/CodeSystem/task-code").setCode("fulfill");
        add(bundle, task);
        add(bundle, fact("arrival-date", new DateTimeType("2024-03-15"), patientUrl));
        add(bundle, fact("english-level", new IntegerType(englishLevel), patientUrl));
        add(bundle, fact("years-of-experience", new IntegerType(11), patientUrl));
        add(bundle, fact("profession", new StringType("Pharmacist"), patientUrl));
        return bundle;
    }

    private static String surnameSuffix() {
        StringBuilder letters = new StringBuilder("-");
        UUID.randomUUID().toString().chars().filter(Character::isDigit).limit(6).forEach(c -> letters.append((char) ('a' + c - '0')));
        return letters.toString();
    }

    private static Observation fact(String code, org.hl7.fhir.r4.model.Type value, String patientUrl) {
        Observation observation = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding(FACTS, code, null))).setSubject(new Reference(patientUrl));
        observation.setValue(value);
        return observation;
    }

    private static String add(Bundle bundle, Resource resource) {
        String url = "urn:uuid:" + UUID.randomUUID();
        bundle.addEntry().setFullUrl(url).setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType());
        return url;
    }

}
