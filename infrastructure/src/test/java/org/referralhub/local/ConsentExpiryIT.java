package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consent that expires while a delivery is still being retried blocks it: the referral is put on hold with reason
 * {@code consent-expired}, nothing reaches the partner, and the agency is told.
 */
class ConsentExpiryIT {

    @TempDir
    Path data;

    @Test
    void aDeliveryRetriedAfterTheConsentExpiredIsWithheldAndTheAgencyTold() throws Exception {
        Path config = data.resolve("hub-config-consent.yaml");
        Files.writeString(config, Files.readString(Path.of(HubClient.fastRetryConfiguration(data)))
                .replace("maxAttempts: 4", "maxAttempts: 8"));
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(200).withConfigLocation(config.toString()))) {
            HubClient http = new HubClient(hub.baseUrl());
            String key = LocalHub.demoKeys().get("cics");
            http.postSandbox("/sandbox/partners/humber/failures", "{\"forSeconds\": 30, \"status\": 503}");
            String expires = Instant.now().plusSeconds(2).toString();
            String body = """
                    {"source": {"agencyReference": "CONSENT-%s"},
                     "client": {"firstName": "Amara", "lastName": "Okafor", "email": "amara.%s@example.org",
                                "postalCode": "M9W 1A1", "arrivalDate": "2024-03-15", "yearsOfExperience": 8,
                                "englishLevel": 8, "profession": "Civil engineer"},
                     "consent": {"given": true, "expiresAt": "%s"}}""".formatted(UUID.randomUUID(), UUID.randomUUID(), expires);
            HubClient.Reply reply = http.postJson(key, body);
            assertThat(reply.status()).isEqualTo(202);
            String id = reply.body().get("referralId").asText();

            JsonNode held = http.awaitReferral(id, key, r -> "on-hold".equals(r.at("/status").asText()),
                    Duration.ofSeconds(30));
            assertThat(held.at("/statusReason").asText()).isEqualTo("consent-expired");
            assertThat(held.at("/delivery/state").asText()).isEqualTo("withheld");
            for (JsonNode d : http.get("/sandbox/partners/humber/deliveries", null).body().get("deliveries")) {
                assertThat(d.get("answeredStatus").asInt()).as("nothing accepted by the partner").isNotEqualTo(200);
            }
            Instant deadline = Instant.now().plusSeconds(20);
            boolean told = false;
            while (!told && Instant.now().isBefore(deadline)) {
                for (JsonNode notice : http.get("/sandbox/agencies/cics/deliveries", null).body().get("deliveries")) {
                    told |= notice.toString().contains(id) && notice.toString().contains("consent-expired");
                }
                Thread.sleep(200);
            }
            assertThat(told).as("the agency's CRM was told").isTrue();
        }
    }
}
