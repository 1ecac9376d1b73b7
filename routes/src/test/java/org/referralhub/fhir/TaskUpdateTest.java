package org.referralhub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.outcome.StatusUpdate;
import org.referralhub.referral.CanonicalJson;
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
                .hasMessageContaining("output");
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
}
