package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.referralhub.admin.Administration;
import org.referralhub.referral.CanonicalJson;

/** An agency told by daily digest: every change of the day in one message, at its hour, on a clock the test moves. */
class DigestNoticeIT extends HubOnMovableClock {

    DigestNoticeIT() {
        super(Instant.parse("2026-11-23T14:00:00Z"));   // a Monday
    }

    @Test
    void theDaysChangesArriveInOneMessageAtTheDigestHour() throws Exception {
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            String json = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                    .replace("CICS-2026-0001", "DIGEST-" + UUID.randomUUID()).replace("m2n6k1", "M9W 1A1");
            ids[i] = agencies.postJson(KEYS.get("cics"), json).body().get("referralId").asText();
        }
        // CICS is told by webhook in the demo; here it asks for a daily digest at 21:00 UTC instead
        var patch = CanonicalJson.MAPPER.createObjectNode();
        patch.putObject("notifications").putObject("email").put("address", "digest@cics.example").put("digestHourUtc", 21);
        hub.hub().services().administration().patch(Administration.Kind.AGENCIES, "cics", patch, "test", null);
        for (String id : ids) {
            agencies.awaitReferral(id, KEYS.get("cics"), r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));
            var report = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/partner/referrals/" + id + "/status"))
                    .header("X-Api-Key", LocalHub.demoPartnerKeys().get("humber")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"businessStatus\":\"contacted\"}")).build();
            assertThat(HttpClient.newHttpClient().send(report, HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
        }
        Thread.sleep(1500);
        assertThat(hub.mailTo("digest@cics.example")).as("nothing before the digest hour").isEmpty();

        now.set(Instant.parse("2026-11-23T21:00:05Z"));
        Instant deadline = Instant.now().plusSeconds(20);
        while (hub.mailTo("digest@cics.example").isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(150);
        }
        var messages = hub.mailTo("digest@cics.example");
        assertThat(messages).hasSize(1);
        String text = String.valueOf(messages.get(0).getContent());
        assertThat(messages.get(0).getSubject()).isEqualTo("Referral updates (2)");
        assertThat(text).contains(ids[0]).contains(ids[1]).contains("accepted / contacted at humber");
    }
}
