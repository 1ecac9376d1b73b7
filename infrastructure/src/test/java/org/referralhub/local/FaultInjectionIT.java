package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The short variant of the fault proof (webhook channel): referrals posted while 5 % of the hub's DynamoDB calls are
 * throttled or fail — each HTTP attempt, in the SDK's own retry path — 10 % of them malformed, every one sent again
 * three times: each valid client is exactly one referral, delivered to its partner exactly once; stored + refused =
 * sent. {@code -Dfaults.referrals=…} sends more.
 */
class FaultInjectionIT {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectionIT.class);
    private static final String KEY = LocalHub.demoKeys().get("cics");
    private static final int SENT = Integer.getInteger("faults.referrals", 100);

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static DynamoDbFaultProxy faults;
    private static HubClient agency;
    private static int retriedAfter503;
    private static int retriedAfterLostConnection;

    @BeforeAll
    static void start() throws Exception {
        int dynamoPort = LocalHub.freePort();
        faults = new DynamoDbFaultProxy("http://127.0.0.1:" + dynamoPort, 0.05);
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, dynamoPort, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300)
                .withConfigLocation(HubClient.fastRetryConfiguration(data))
                .withDynamoEndpointForHub(faults.endpoint()));
        agency = new HubClient(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        hub.close();
        faults.close();
    }

    /** Posts like a careful client: the same Idempotency-Key again after a 503 or a lost connection. */
    private static HubClient.Reply post(String json, String key) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                HubClient.Reply reply = agency.post(KEY, "application/json", json.getBytes(StandardCharsets.UTF_8), key);
                if (reply.status() != 503 || attempt == 20) {
                    return reply;
                }
                retriedAfter503++;
            } catch (java.io.IOException lost) {
                if (attempt == 20) {
                    throw lost;
                }
                retriedAfterLostConnection++;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void everyValidClientIsOneReferralDeliveredOnceDespiteThrottlingAndRepeats() throws Exception {
        String template = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8).replace("m2n6k1", "M9W 1A1");
        Map<String, String> idByClient = new HashMap<>();
        int refused = 0;
        int duplicatesAnswered = 0;
        for (int i = 0; i < SENT; i++) {
            String reference = "FAULT-" + UUID.randomUUID();
            String json = template.replace("CICS-2026-0001", reference);
            boolean malformed = i % 10 == 0;
            if (malformed) {
                json = json.replace("\"lastName\": \"Okafor\",", "");
            }
            String key = "key-" + reference;
            HubClient.Reply first = post(json, key);
            if (malformed) {
                assertThat(first.status()).as("malformed %d", i).isEqualTo(400);
                refused++;
                continue;
            }
            assertThat(first.status()).as("referral %d", i).isEqualTo(202);
            String id = first.body().get("referralId").asText();
            idByClient.put(reference, id);
            for (int again = 0; again < 3; again++) {
                // the same request again, the last time under another key: the agency reference still says who it is
                HubClient.Reply repeat = post(json, again == 2 ? "other-" + key : key);
                assertThat(repeat.body().get("referralId").asText()).isEqualTo(id);
                assertThat(repeat.body().get("duplicate").asBoolean()).isTrue();
                duplicatesAnswered++;
            }
        }
        assertThat(idByClient.size() + refused).isEqualTo(SENT);
        assertThat(new HashSet<>(idByClient.values())).hasSize(idByClient.size());

        Set<String> expected = new HashSet<>();
        idByClient.values().forEach(id -> expected.add("dlv_" + id + "_humber"));
        Map<String, Integer> taken = new HashMap<>();
        int repeatsSeen = 0;
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            taken.clear();
            repeatsSeen = 0;
            for (JsonNode d : agency.get("/sandbox/partners/humber/deliveries", null).body().get("deliveries")) {
                if (d.get("answeredStatus").asInt() == 200) {
                    if (d.get("repeat").asBoolean()) {
                        repeatsSeen++;
                    } else {
                        taken.merge(d.get("webhookId").asText(), 1, Integer::sum);
                    }
                }
            }
            if (taken.keySet().containsAll(expected)) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(taken.keySet()).containsAll(expected);
        assertThat(taken.values()).as("one first-time delivery per referral").allMatch(n -> n == 1);
        LOG.info("fault injection: sent {}, stored {}, refused {}, repeats answered as duplicates {}, delivered {}, "
                        + "partner-side repeats {}, DynamoDB calls forwarded {}, throttled {}, failed {}, client retries after "
                        + "503 {}, after a lost connection {}", SENT, idByClient.size(), refused, duplicatesAnswered,
                expected.size(), repeatsSeen, faults.forwarded.get(), faults.throttled.get(), faults.failed.get(),
                retriedAfter503, retriedAfterLostConnection);
        assertThat(faults.throttled.get() + faults.failed.get()).as("faults were injected").isPositive();
    }
}
