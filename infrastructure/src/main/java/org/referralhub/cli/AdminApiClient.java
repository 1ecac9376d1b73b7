package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.referralhub.referral.CanonicalJson;

/** The command line's only way to the hub: the admin API over HTTP, with an administrator's token. */
final class AdminApiClient {

    /** The hub could not be reached. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /** An answer of the admin API. */
    record Answer(int status, JsonNode body, String text) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String hub;
    private final String token;

    AdminApiClient(String hub, String token) {
        this.hub = hub.replaceAll("/+$", "");
        this.token = token.trim();
    }

    Answer send(String method, String path, String contentType, String body) throws Unreachable {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub + "/admin/v1" + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("content-type").orElse("");
            JsonNode json = response.body().isEmpty() || !type.contains("json") ? null : CanonicalJson.MAPPER.readTree(response.body());
            return new Answer(response.statusCode(), json, response.body());
        } catch (IOException e) {
            throw new Unreachable("the hub at " + hub + " could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }

    Answer send(String method, String path, JsonNode body) throws Unreachable {
        return send(method, path, "application/json", body == null ? null : CanonicalJson.write(body));
    }

    /** Prints a refusal as the hub explained it: title, detail, and every problem or field error. */
    static void printRefusal(PrintWriter err, Answer answer) {
        JsonNode body = answer.body();
        if (body == null) {
            err.println("refused (HTTP " + answer.status() + ")");
            return;
        }
        err.println(body.path("title").asText("refused") + ": " + body.path("detail").asText());
        body.path("problems").forEach(p -> err.println("  - " + p.asText()));
        body.path("errors").forEach(e -> err.println("  - " + e.path("field").asText() + ": " + e.path("message").asText()));
    }
}
