package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner that speaks FHIR reads its referrals through the FHIR door with HAPI FHIR's generic client — a client no
 * one here wrote — as the SDOH Clinical Care guide's light recipients poll: Tasks it owns changed since the last poll,
 * their ServiceRequests included; every resource the hub answers is valid against base R4 by HAPI's validator and
 * follows the guide's TaskForReferralManagement rules; refusals are OperationOutcomes.
 */
class FhirPartnerIT {

    private static final Map<String, String> AGENCY_KEYS = LocalHub.demoKeys();
    private static final Map<String, String> PARTNER_KEYS = LocalHub.demoPartnerKeys();

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

    private static IGenericClient client(String partner) {
        return FhirR4.client(hub.baseUrl() + "/fhir/r4", PARTNER_KEYS.get(partner));
    }

    /** A canonical referral of CICS, delivered; answers its id and the partner it went to. */
    private static String[] referred() throws Exception {
        String json = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                .replace("CICS-2026-0001", "FHIR-" + UUID.randomUUID());
        HubClient.Reply accepted = agencies.postJson(AGENCY_KEYS.get("cics"), json);
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().get("referralId").asText();
        agencies.awaitReferral(id, AGENCY_KEYS.get("cics"), r -> "delivered".equals(r.at("/delivery/state").asText()),
                Duration.ofSeconds(20));
        return new String[] {id, accepted.body().get("partnerId").asText()};
    }

    @Test
    void aPartnerPollsItsTasksChangedSinceItsLastPollWithTheirServiceRequestsAndEachIsValidR4() throws Exception {
        String[] first = referred();
        String partner = first[1];
        IGenericClient fhir = client(partner);

        // the validator is live: a Task with a status R4 does not have is an error to it
        assertThat(FhirR4.validator().validateWithResult("{\"resourceType\": \"Task\", \"status\": \"waiting\", \"intent\": \"order\"}")
                .isSuccessful()).isFalse();

        CapabilityStatement capability = fhir.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capability.getFhirVersion().toCode()).isEqualTo("4.0.1");
        FhirR4.valid(capability);

        Task task = fhir.read().resource(Task.class).withId(first[0]).execute();
        FhirR4.valid(task);
        // the guide's TaskForReferralManagement
        assertThat(task.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(task.getCode().getCodingFirstRep().getCode()).isEqualTo("fulfill");
        assertThat(task.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/CodeSystem/task-code");
        assertThat(task.getFocus().getReference()).isEqualTo("ServiceRequest/" + first[0]);
        assertThat(task.getFor().getReference()).isEqualTo("#client");
        assertThat(task.getAuthoredOn()).isNotNull();
        assertThat(task.getRequester().getReference()).isEqualTo("Organization/cics");
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/" + partner);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        Patient client = (Patient) task.getContained().get(0);
        assertThat(client.getNameFirstRep().getFamily()).isNotBlank();

        ServiceRequest request = fhir.read().resource(ServiceRequest.class).withId(first[0]).execute();
        FhirR4.valid(request);
        assertThat(request.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);

        // the partner puts the referral on hold, saying why; a poll since the first read finds that change only
        String mark = task.getMeta().getLastUpdatedElement().getValueAsString();
        String[] second = referred();
        assertThat(second[1]).as("the same partner takes CICS's referrals").isEqualTo(partner);
        HubClient.Reply held = agencies.postWithKey("/v1/partner/referrals/" + first[0] + "/status", PARTNER_KEYS.get(partner),
                "{\"status\": \"on-hold\", \"reason\": \"waitlist, 1-3 months\"}");
        assertThat(held.status()).isEqualTo(200);

        Bundle changed = fhir.search().forResource(Task.class)
                .where(Task.OWNER.hasId("Organization/" + partner))
                .lastUpdated(new DateRangeParam().setLowerBound("gt" + mark))
                .include(Task.INCLUDE_FOCUS)
                .returnBundle(Bundle.class).execute();
        FhirR4.valid(changed);
        List<String> tasks = changed.getEntry().stream().filter(e -> e.getResource() instanceof Task)
                .map(e -> e.getResource().getIdElement().getIdPart()).toList();
        assertThat(tasks).contains(first[0], second[0]);
        assertThat(changed.getEntry()).filteredOn(e -> e.getResource() instanceof ServiceRequest).hasSize(tasks.size());
        Task onHold = changed.getEntry().stream().map(e -> e.getResource()).filter(r -> r instanceof Task)
                .map(r -> (Task) r).filter(t -> t.getIdElement().getIdPart().equals(first[0])).findFirst().orElseThrow();
        assertThat(onHold.getStatus()).isEqualTo(Task.TaskStatus.ONHOLD);
        assertThat(onHold.getStatusReason().getText()).isEqualTo("waitlist, 1-3 months");

        Bundle onHoldOnly = fhir.search().forResource(Task.class).where(Task.STATUS.exactly().code("on-hold"))
                .returnBundle(Bundle.class).execute();
        assertThat(onHoldOnly.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart()).contains(first[0])
                .doesNotContain(second[0]);
    }

    @Test
    void aPartnerMovesItsTaskByPutAndByPatchAndTheAgencyIsToldWhileAMoveBackIsRefused() throws Exception {
        String[] referral = referred();
        IGenericClient fhir = client(referral[1]);

        // accepted, contacted: the Task as read, its status and business status changed, sent back whole
        Task task = fhir.read().resource(Task.class).withId(referral[0]).execute();
        task.setStatus(Task.TaskStatus.INPROGRESS);
        task.getBusinessStatus().setText("contacted");
        Task moved = (Task) fhir.update().resource(task).execute().getResource();
        FhirR4.valid(moved);
        assertThat(moved.getStatus()).isEqualTo(Task.TaskStatus.INPROGRESS);
        assertThat(moved.getBusinessStatus().getText()).isEqualTo("contacted");

        // what the work produced: an output added by a JSON Patch, then on the Task as it reads
        fhir.patch().withBody("[{\"op\": \"add\", \"path\": \"/output/-\", \"value\": {\"type\": {\"text\": "
                + "\"mentor match\"}, \"valueString\": \"matched with a mentor in civil engineering\"}}]")
                .withId("Task/" + referral[0]).execute();
        Task withOutput = fhir.read().resource(Task.class).withId(referral[0]).execute();
        FhirR4.valid(withOutput);
        assertThat(withOutput.getOutput()).singleElement().satisfies(o -> {
            assertThat(o.getType().getText()).isEqualTo("mentor match");
            assertThat(o.getValue().primitiveValue()).isEqualTo("matched with a mentor in civil engineering");
        });
        assertThat(withOutput.getStatus()).as("an output alone moves nothing").isEqualTo(Task.TaskStatus.INPROGRESS);

        // then completed, by a JSON Patch, saying why
        fhir.patch().withBody("[{\"op\": \"replace\", \"path\": \"/status\", \"value\": \"completed\"},"
                + " {\"op\": \"add\", \"path\": \"/statusReason\", \"value\": {\"text\": \"matched with a mentor\"}}]")
                .withId("Task/" + referral[0]).execute();
        Task done = fhir.read().resource(Task.class).withId(referral[0]).execute();
        assertThat(done.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(done.getStatusReason().getText()).isEqualTo("matched with a mentor");
        assertThat(fhir.read().resource(ServiceRequest.class).withId(referral[0]).execute().getStatus())
                .isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);

        // the agency sees the partner's steps, as from any other channel
        JsonNode seen = agencies.get("/v1/referrals/" + referral[0], AGENCY_KEYS.get("cics")).body();
        assertThat(seen.get("statusHistory")).extracting(h -> h.get("status").asText() + " by " + h.get("by").asText())
                .contains("in-progress by partner:" + referral[1], "completed by partner:" + referral[1]);
        assertThat(seen.at("/outputs/0/value").asText()).isEqualTo("matched with a mentor in civil engineering");
        assertThat(seen.at("/outputs/0/by").asText()).isEqualTo("partner:" + referral[1]);
        // and is told on its own channel (CICS: a signed webhook call), as for a report from any other door
        List<String> told = List.of();
        for (int i = 0; i < 100 && !told.contains("completed"); i++) {
            Thread.sleep(150);
            List<String> statuses = new ArrayList<>();
            agencies.get("/sandbox/agencies/cics/deliveries", null).body().path("deliveries").forEach(d -> {
                if (referral[0].equals(d.at("/referral/referralId").asText())
                        && d.path("signatureVerified").asBoolean()) {
                    statuses.add(d.at("/referral/status").asText());
                }
            });
            told = statuses;
        }
        assertThat(told).contains("in-progress", "completed");

        // a closed referral takes no further change; an owner the partner is not is not its to set
        done.setStatus(Task.TaskStatus.INPROGRESS);
        BaseServerResponseException closed = assertThrows(BaseServerResponseException.class,
                () -> fhir.update().resource(done).execute());
        assertThat(closed.getStatusCode()).isEqualTo(409);
        assertThat(outcome(closed).getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.CONFLICT);
        done.getOwner().setReference("Organization/someone-else");
        assertThat(assertThrows(BaseServerResponseException.class, () -> fhir.update().resource(done).execute())
                .getStatusCode()).isEqualTo(422);
    }

    @Test
    void anotherPartnersTaskIsNotFoundAndWhatTheDoorCannotDoIsAnOperationOutcome() throws Exception {
        String[] referral = referred();
        String other = PARTNER_KEYS.keySet().stream().filter(p -> !p.equals(referral[1])).findFirst().orElseThrow();
        IGenericClient stranger = client(other);

        ResourceNotFoundException notFound = assertThrows(ResourceNotFoundException.class,
                () -> stranger.read().resource(Task.class).withId(referral[0]).execute());
        assertThat(outcome(notFound).getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.NOTFOUND);
        assertThatThrownBy(() -> stranger.search().forResource(Task.class)
                .where(Task.OWNER.hasId("Organization/" + referral[1])).returnBundle(Bundle.class).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        InvalidRequestException unknown = assertThrows(InvalidRequestException.class,
                () -> client(referral[1]).search().byUrl("Task?patient=Patient/x").returnBundle(Bundle.class).execute());
        assertThat(outcome(unknown).getIssueFirstRep().getDiagnostics()).contains("patient");

        IGenericClient nobody = FhirR4.FHIR.newRestfulGenericClient(hub.baseUrl() + "/fhir/r4");
        assertThatThrownBy(() -> nobody.read().resource(Task.class).withId(referral[0]).execute())
                .isInstanceOf(BaseServerResponseException.class)
                .satisfies(e -> assertThat(((BaseServerResponseException) e).getStatusCode()).isEqualTo(401));
    }

    private static OperationOutcome outcome(BaseServerResponseException e) {
        assertThat(e.getOperationOutcome()).as("an OperationOutcome in the answer").isInstanceOf(OperationOutcome.class);
        OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
        FhirR4.valid(outcome);
        return outcome;
    }
}
