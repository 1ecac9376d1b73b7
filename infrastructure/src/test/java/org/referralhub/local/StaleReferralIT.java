package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A partner that lets a referral wait: reminded after three business days, passed over after seven — the referral
 * sent to the next eligible partner and the agency told — on a clock the test moves.
 */
class StaleReferralIT extends HubOnMovableClock {

    StaleReferralIT() {
        super(Instant.parse("2026-11-23T10:00:00Z"));   // a Monday
    }

    @Test
    void aWaitingReferralIsRemindedThenSentToTheNextPartnerWithTheAgencyTold() throws Exception {
        String json = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                .replace("CICS-2026-0001", "STALE-" + UUID.randomUUID()).replace("m2n6k1", "M9W 1A1");
        String id = agencies.postJson(KEYS.get("cics"), json).body().get("referralId").asText();
        agencies.awaitReferral(id, KEYS.get("cics"), r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));

        now.set(Instant.parse("2026-11-25T10:00:00Z"));   // Wednesday: two business days, nothing yet
        Thread.sleep(1000);
        assertThat(agencies.get("/v1/referrals/" + id, KEYS.get("cics")).body().get("statusHistory")).hasSize(1);

        now.set(Instant.parse("2026-11-26T10:30:00Z"));   // Thursday: three business days, a reminder
        JsonNode reminded = await("/v1/referrals/" + id, KEYS.get("cics"), r -> r.get("statusHistory").size() >= 2);
        assertThat(reminded.at("/statusHistory/1/reason").asText()).isEqualTo("reminder sent to humber after 3 business days without an answer");
        assertThat(reminded.at("/statusHistory/1/by").asText()).isEqualTo("hub:stale");
        JsonNode toHumber = agencies.get("/sandbox/partners/humber/deliveries", null).body();
        assertThat(toHumber.get("deliveries")).anySatisfy(d -> {
            assertThat(d.at("/referral/type").asText()).isEqualTo("referral.reminder");
            assertThat(d.at("/referral/referralId").asText()).isEqualTo(id);
            assertThat(d.get("signatureVerified").asBoolean()).isTrue();
        });

        now.set(Instant.parse("2026-12-02T11:00:00Z"));   // next Wednesday: seven business days, sent on
        JsonNode rerouted = await("/v1/referrals/" + id, KEYS.get("cics"), r -> "acces-employment".equals(r.at("/routing/partnerId").asText())
                && "delivered".equals(r.at("/delivery/state").asText()));
        assertThat(rerouted.at("/routing/passedOver/0").asText()).isEqualTo("humber (etobicoke-north): did not answer");
        assertThat(rerouted.get("statusHistory").findValuesAsText("reason"))
                .contains("rerouted from humber to acces-employment after 7 business days without an answer");
        JsonNode told = await("/sandbox/agencies/cics/deliveries", null, r -> r.get("deliveries").findValuesAsText("reason").stream()
                .anyMatch(x -> x.startsWith("rerouted from humber")));
        assertThat(told.get("deliveries")).allSatisfy(d -> assertThat(d.get("signatureVerified").asBoolean()).isTrue());
    }
}
