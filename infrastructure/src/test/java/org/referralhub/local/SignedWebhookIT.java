package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.referral.CanonicalJson;

/**
 * An agency's CRM that signs its calls (Standard Webhooks) instead of sending an API key: a good signature is taken,
 * the same message again has no second effect, and a changed body, an old timestamp or a missing agency is refused.
 */
class SignedWebhookIT {


    @TempDir
    Path data;

    private static HttpResponse<String> post(LocalHub hub, String query, String id, long timestamp, String signature,
                                             String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/referrals" + query))
                        .header("Content-Type", "application/json").header("webhook-id", id)
                        .header("webhook-timestamp", Long.toString(timestamp)).header("webhook-signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedCallIsTakenOnceAndAForgedStaleOrUnnamedOneIsRefused() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            String body = new String(HubClient.sample("polycultural-crm.json"), StandardCharsets.UTF_8);
            // the demo's secret is not in the configuration: the local hub made it in its key store
            WebhookSignature signer = new WebhookSignature(Files.readString(data.resolve("keys/referral-hub-demo-polycultural-calls")));
            String id = "msg_" + UUID.randomUUID();
            long now = Instant.now().getEpochSecond();
            String signature = signer.sign(id, now, body);

            HttpResponse<String> first = post(hub, "?agency=polycultural", id, now, signature, body);
            assertThat(first.statusCode()).isEqualTo(202);
            JsonNode stored = CanonicalJson.MAPPER.readTree(first.body());
            HttpResponse<String> again = post(hub, "?agency=polycultural", id, now, signature, body);
            assertThat(again.statusCode()).as("a retry or replay of the same message").isEqualTo(202);
            assertThat(CanonicalJson.MAPPER.readTree(again.body()).get("referralId")).isEqualTo(stored.get("referralId"));
            assertThat(CanonicalJson.MAPPER.readTree(again.body()).get("duplicate").asBoolean()).isTrue();

            assertThat(post(hub, "?agency=polycultural", id, now, signature, body.replace("Haddad", "Hadad"))
                    .statusCode()).as("a changed body").isEqualTo(401);
            long old = now - 600;
            assertThat(post(hub, "?agency=polycultural", "msg_old", old, signer.sign("msg_old", old, body), body)
                    .statusCode()).as("ten minutes old").isEqualTo(401);
            assertThat(post(hub, "", id, now, signature, body).statusCode()).as("no agency named").isEqualTo(401);
            assertThat(post(hub, "?agency=cics", id, now, signature, body).statusCode())
                    .as("an agency that does not sign").isEqualTo(401);
        }
    }
}
