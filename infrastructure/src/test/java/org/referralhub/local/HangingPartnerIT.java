package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner that hangs past the hub's response timeout and then takes the call anyway: the hub records a failed
 * attempt and tries again under the same webhook-id, which the partner recognises as a repeat.
 */
class HangingPartnerIT {

    @TempDir
    Path data;

    @Test
    void aCallAnsweredAfterTheTimeoutIsSentAgainUnderTheSameIdAndSeenAsARepeat() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300)
                .withConfigLocation(HubClient.fastRetryConfiguration(data)))) {
            HubClient http = new HubClient(hub.baseUrl());
            String key = LocalHub.demoKeys().get("cics");
            // the fast configuration waits 3 s for an answer; this partner answers its next call after 5
            http.postSandbox("/sandbox/partners/humber/failures", "{\"count\": 1, \"hangSeconds\": 5, \"status\": 200}");
            String body = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                    .replace("m2n6k1", "M9W 1A1").replace("CICS-2026-0001", "HANG-" + UUID.randomUUID());
            String id = http.postJson(key, body).body().get("referralId").asText();

            JsonNode referral = http.awaitReferral(id, key, r -> "delivered".equals(r.at("/delivery/state").asText()),
                    Duration.ofSeconds(30));
            assertThat(referral.at("/delivery/attempts/0/outcome").asText()).isEqualTo("failed");
            // the hung call lands when the partner wakes up, after the retry did
            List<JsonNode> received = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(15);
            while (received.size() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                received.clear();
                http.get("/sandbox/partners/humber/deliveries", null).body().get("deliveries").forEach(received::add);
            }
            assertThat(received).hasSizeGreaterThanOrEqualTo(2);
            assertThat(received).extracting(d -> d.get("webhookId").asText()).containsOnly("dlv_" + id + "_humber");
            assertThat(received).filteredOn(d -> !d.get("repeat").asBoolean()).as("taken once").hasSize(1);
        }
    }
}
