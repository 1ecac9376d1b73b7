package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local hub keeps its data directory: referrals and pending deliveries outlive a restart. */
class LocalHubRestartIT {

    private static final Map<String, String> KEYS = LocalHub.demoKeys();

    @TempDir
    Path data;

    private LocalHub start(String table) throws Exception {
        return LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data).withTableName(table)
                .withConfigLocation(HubClient.fastRetryConfiguration(data)).withSweepMillis(300));
    }

    @Test
    void referralsAndPendingDeliveriesSurviveARestart() throws Exception {
        String table = "referrals-" + UUID.randomUUID();
        String delivered;
        String pending;
        try (LocalHub first = start(table)) {
            HubClient agency = new HubClient(first.baseUrl());
            delivered = agency.post(KEYS.get("cics"), "application/json", HubClient.sample("cics-canonical.json"), null)
                    .body().get("referralId").asText();
            agency.awaitReferral(delivered, KEYS.get("cics"),
                    r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));
            // the partner is down: the next referral stays pending when the hub stops
            agency.postSandbox("/sandbox/partners/jobstart/failures", "{\"count\": 1000, \"status\": 500}");
            pending = agency.post(KEYS.get("polycultural"), "application/json", HubClient.sample("polycultural-crm.json"), null)
                    .body().get("referralId").asText();
            agency.awaitReferral(pending, KEYS.get("polycultural"),
                    r -> r.at("/delivery/attempts").size() >= 1, Duration.ofSeconds(20));
        }
        try (LocalHub second = start(table)) {
            HubClient agency = new HubClient(second.baseUrl());
            JsonNode before = agency.get("/v1/referrals/" + delivered, KEYS.get("cics")).body();
            assertThat(before.at("/client/lastName").asText()).isEqualTo("Okafor");
            assertThat(before.at("/delivery/state").asText()).isEqualTo("delivered");
            JsonNode resumed = agency.awaitReferral(pending, KEYS.get("polycultural"),
                    r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(30));
            assertThat(resumed.at("/delivery/attempts").size()).isGreaterThanOrEqualTo(2);
            assertThat(agency.get("/sandbox/partners/jobstart/deliveries", null).body().get("count").asInt()).isEqualTo(1);
        }
    }
}
