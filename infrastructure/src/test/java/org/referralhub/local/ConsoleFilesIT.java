package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's files over the gateway: the page and its assets, locked down; nothing else reachable through it. */
class ConsoleFilesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    private static LocalHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsAssetsAreServedWithAStrictPolicyAndNoData() throws Exception {
        HttpResponse<String> root = get("/console");
        assertThat(root.statusCode()).isEqualTo(308);
        assertThat(root.headers().firstValue("location")).hasValue("/console/index.html");

        HttpResponse<String> page = get("/console/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("content-security-policy").orElse(""))
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.body()).contains("<label for=\"token\"").doesNotContain("<script>");

        assertThat(get("/console/console.js").headers().firstValue("content-type").orElse("")).startsWith("text/javascript");
        assertThat(get("/console/console.css").headers().firstValue("content-type").orElse("")).startsWith("text/css");
    }

    @Test
    void onlyTheConsolesOwnFilesCanBeAskedFor() throws Exception {
        assertThat(get("/console/missing.html").statusCode()).isEqualTo(404);
        assertThat(get("/console/hub-config.yaml").statusCode()).isEqualTo(404);
        assertThat(get("/console/..%2Fhub-config.yaml").statusCode()).isEqualTo(404);
        assertThat(get("/console/%2E%2E%2Fdemo-credentials.json").statusCode()).isEqualTo(404);
        assertThat(get("/console/..%2F..%2Flogback.xml").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> api(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsolesDoorToTheAdminApiTakesAnAdministratorsTokenAndNothingElse() throws Exception {
        HttpResponse<String> agencies = api("/console/api/agencies", "Authorization", "Bearer " + LocalHub.demoAdminToken());
        assertThat(agencies.statusCode()).isEqualTo(200);
        assertThat(agencies.body()).contains("\"cics\"");
        assertThat(api("/console/api/agencies").statusCode()).isEqualTo(401);
        // a caller cannot pass for an IAM principal: the header is the function's to set, from API Gateway's context
        assertThat(api("/console/api/agencies", "x-hub-iam-principal", "arn:aws:iam::111122223333:user/admin")
                .statusCode()).isEqualTo(401);
        assertThat(api("/console/api/agencies", "Authorization", "Bearer " + LocalHub.demoKeys().get("cics"))
                .statusCode()).isEqualTo(401);
    }
}
