package org.referralhub.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.referralhub.referral.CanonicalJson;

/** What an agency's system does over HTTP, for the integration tests: real requests to a running local hub. */
final class HubClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    HubClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Reply(int status, String contentType, JsonNode body) {
    }

    Reply post(String apiKey, String contentType, byte[] body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/referrals"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build(), new String(body, StandardCharsets.UTF_8));
    }

    Reply postJson(String apiKey, String json) throws Exception {
        return post(apiKey, "application/json", json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** A GET with an agency's or partner's key; a sandbox receiver's deliveries with the demo administrator's token. */
    Reply get(String path, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        if (path.startsWith("/sandbox/")) {
            request.header("Authorization", "Bearer " + LocalHub.demoAdminToken());
        }
        return send(request.build(), null);
    }

    /** A JSON POST to any path with an agency's or a partner's key. */
    Reply postWithKey(String path, String apiKey, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("X-Api-Key", apiKey).build(), json);
    }

    Reply postSandbox(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LocalHub.demoAdminToken()).build(), json);
    }

    /** Reads the referral until the condition holds, or fails after the timeout. */
    JsonNode awaitReferral(String id, String apiKey, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            Reply reply = get("/v1/referrals/" + id, apiKey);
            last = reply.body();
            if (reply.status() == 200 && condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("referral " + id + " did not reach the expected state in " + timeout + "; last: " + last);
    }

    /** Sends, and holds the exchange to the OpenAPI document ({@link OpenApiContract}) before answering. */
    private Reply send(HttpRequest request, String requestBody) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String contentType = response.headers().firstValue("content-type").orElse(null);
        OpenApiContract.check(request.method(), request.uri().getRawPath(),
                request.headers().firstValue("content-type").orElse(null), requestBody, response.statusCode(),
                contentType, new String(response.body(), StandardCharsets.UTF_8));
        JsonNode body = response.body().length == 0 ? null : CanonicalJson.MAPPER.readTree(response.body());
        return new Reply(response.statusCode(), contentType, body);
    }

    static byte[] sample(String name) throws IOException {
        try (InputStream in = HubClient.class.getClassLoader().getResourceAsStream("samples/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The demo configuration with retries fast enough for a test: after 1, 2 and 4 s, at most 4 attempts. */
    static String fastRetryConfiguration(Path directory) throws IOException {
        String demo;
        try (InputStream in = HubClient.class.getClassLoader().getResourceAsStream("hub-config.yaml")) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String fast = demo.replace("retryDelaysSeconds: [5, 300, 1800, 7200, 18000, 36000]",
                        "retryDelaysSeconds: [1, 2, 4]\n  maxAttempts: 4")
                .replace("connectTimeoutSeconds: 5", "connectTimeoutSeconds: 2")
                .replace("responseTimeoutSeconds: 15", "responseTimeoutSeconds: 3");
        if (fast.equals(demo)) {
            throw new IllegalStateException("the demo configuration's delivery section changed; update this test");
        }
        Path file = directory.resolve("hub-config-fast-retry.yaml");
        Files.writeString(file, fast);
        return file.toString();
    }
}
