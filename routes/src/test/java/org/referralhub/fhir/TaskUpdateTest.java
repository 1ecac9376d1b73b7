package org.referralhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.outcome.StatusUpdate;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Output;
import org.referralhub.referral.Referral;

class TaskUpdateTest {

    private static final Referral REFERRAL = Samples.storedReferral();

    private static JsonNode json(String text) throws Exception {
        return CanonicalJson.MAPPER.readTree(text.replace('\'', '"'));
    }

    private static String task(String status, String extra) {
        return "{'resourceType': 'Task', 'id': '" + REFERRAL.referralId() + "', 'status': '" + status + "', 'intent': 'order',"
                + " 'owner': {'reference': 'Organization/" + REFERRAL.partnerId() + "'}" + extra + "}";
    }

    @Test
    void aTaskSentBackWithANewStatusIsThatReportAndOneSentBackAsItWasIsNone() throws Exception {
        StatusUpdate update = TaskUpdate.fromPut(json(task("accepted", ", 'businessStatus': {'text': 'contacted'},"
                + " 'statusReason': {'coding': [{'code': 'capacity'}]}")), REFERRAL);
        assertThat(update).isEqualTo(new StatusUpdate(REFERRAL.referralId(), "accepted", "contacted", "capacity", null));
        assertThat(TaskUpdate.fromPut(json(task(REFERRAL.status().code(), "")), REFERRAL)).isNull();
    }

    @Test
    void whatAPartnerMayNotChangeOrTheDoorDoesNotTakeIsNamed() throws Exception {
        assertThatThrownBy(() -> TaskUpdate.fromPut(json(task("accepted", "").replace("Organization/" + REFERRAL.partnerId(),
                "Organization/other")), REFERRAL)).hasMessageContaining("owner.reference");
        assertThatThrownBy(() -> TaskUpdate.fromPut(json(task("accepted", ", 'output': [{'type': {'text': 'x'}}]")), REFERRAL))
                .hasMessage("Task.output[0] has 0 values: an output has one value[x]");
        assertThatThrownBy(() -> TaskUpdate.fromPut(json("{'resourceType': 'Patient'}"), REFERRAL))
                .isInstanceOfSatisfying(FhirRefusal.class, r -> assertThat(r.status()).isEqualTo(400));
        assertThatThrownBy(() -> TaskUpdate.fromPatch(json("[{'op': 'replace', 'path': '/owner', 'value': {}}]"), REFERRAL))
                .hasMessageContaining("replace /owner");
        assertThatThrownBy(() -> TaskUpdate.fromPatch(json("[{'op': 'remove', 'path': '/status'}]"), REFERRAL))
                .hasMessageContaining("remove /status");
    }

    @Test
    void aJsonPatchOfStatusReasonAndDateIsThatReport() throws Exception {
        StatusUpdate update = TaskUpdate.fromPatch(json("[{'op': 'test', 'path': '/status', 'value': 'requested'},"
                + "{'op': 'replace', 'path': '/status', 'value': 'rejected'},"
                + "{'op': 'add', 'path': '/statusReason/text', 'value': 'out of service area'},"
                + "{'op': 'replace', 'path': '/lastModified', 'value': '2026-11-23T14:00:00Z'}]"), REFERRAL);
        assertThat(update.status()).isEqualTo("rejected");
        assertThat(update.reason()).isEqualTo("out of service area");
        assertThat(update.at()).hasToString("2026-11-23T14:00:00Z");
    }

    @Test
    void anOutputIsAddedByPutOrPatchKeptWhenSentBackAndNeverTakenBack() throws Exception {
        StatusUpdate put = TaskUpdate.fromPut(json(task("in-progress", ", 'output': [{'type': {'text': 'mentor match'},"
                + " 'valueString': 'matched with a civil engineer, P.Eng.'}, {'type': {'coding': [{'code': 'cohort'}]},"
                + " 'valueReference': {'display': 'Winter 2027 cohort'}}]")), REFERRAL);
        assertThat(put.status()).isEqualTo("in-progress");
        assertThat(put.outputs()).extracting(Output::type, Output::value).containsExactly(
                tuple("mentor match", "matched with a civil engineer, P.Eng."), tuple("cohort", "Winter 2027 cohort"));

        Referral withOutput = REFERRAL.withOutputs(List.of(new Output("mentor match", "matched", Instant.parse(
                "2026-11-24T10:00:00Z"), "partner:" + REFERRAL.partnerId())));
        String kept = ", 'output': [{'type': {'text': 'mentor match'}, 'valueString': 'matched'}]";
        assertThat(TaskUpdate.fromPut(json(task(withOutput.status().code(), kept)), withOutput)).as("sent back as read").isNull();
        assertThatThrownBy(() -> TaskUpdate.fromPut(json(task(withOutput.status().code(), "")), withOutput))
                .isInstanceOfSatisfying(FhirRefusal.class, r -> assertThat(r.status()).isEqualTo(422))
                .hasMessageContaining("leaves out an output of type 'mentor match'");

        StatusUpdate patch = TaskUpdate.fromPatch(json("[{'op': 'add', 'path': '/output/-', 'value': {'type': {'text': "
                + "'registration'}, 'valueDate': '2026-12-01'}}]"), withOutput);
        assertThat(patch.status()).isNull();
        assertThat(patch.outputs()).extracting(Output::type, Output::value).containsExactly(tuple("registration", "2026-12-01"));
        assertThatThrownBy(() -> TaskUpdate.fromPatch(json("[{'op': 'add', 'path': '/output/-', 'value': {'type': {'text': "
                + "'scan'}, 'valueAttachment': {'url': 'x'}}}]"), withOutput))
                .hasMessageContaining("Task.output[0].valueAttachment is not a kind of value the hub keeps");
        assertThatThrownBy(() -> TaskUpdate.fromPatch(json("[{'op': 'remove', 'path': '/output/0'}]"), withOutput))
                .hasMessageContaining("remove /output/0");
    }
}
