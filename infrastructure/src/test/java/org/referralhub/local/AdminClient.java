package org.referralhub.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.referralhub.referral.CanonicalJson;

/** What an administrator's tool does over HTTP, for the integration tests: the admin API of a running local hub. */
final class AdminClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    AdminClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The answer: status, the configuration version (ETag) if any, the body as JSON and as sent. */
    record Reply(int status, Long version, JsonNode body, String text) {
    }

    Reply send(String method, String path, String json) throws Exception {
        return send(method, path, json, null);
    }

    Reply send(String method, String path, String json, Long ifMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/admin/v1" + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (ifMatch != null) {
            request.header("If-Match", "\"" + ifMatch + "\"");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        OpenApiContract.check(method, "/admin/v1" + path, "application/json", json, response.statusCode(),
                response.headers().firstValue("content-type").orElse(null), response.body());
        Long version = response.headers().firstValue("etag").map(e -> Long.parseLong(e.replace("\"", ""))).orElse(null);
        JsonNode body = response.body().isEmpty() ? null : CanonicalJson.MAPPER.readTree(response.body());
        return new Reply(response.statusCode(), version, body, response.body());
    }

    Reply get(String path) throws Exception {
        return send("GET", path, null);
    }
}
