package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.cli.AdminCli;
import org.referralhub.config.Passwords;
import org.referralhub.referral.CanonicalJson;

/** Administrators try samples in the sandbox: nothing stored or delivered, the same answer the live path gives. */
class AdminSandboxIT {

    private static final Map<String, String> KEYS = LocalHub.demoKeys();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300));
        token = LocalHub.demoAdminToken();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<String> sandbox(String authorization, ObjectNode request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/admin/v1/sandbox"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CanonicalJson.write(request)));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode request(String agency, String channel, String content) {
        ObjectNode r = CanonicalJson.MAPPER.createObjectNode().put("agencyId", agency).put("channel", channel);
        return content == null ? r : r.put("content", content);
    }

    @Test
    void aWebhookSampleShowsTheReferralTheLivePathThenStores() throws Exception {
        String sample = new String(HubClient.sample("cet-formtool.json"), StandardCharsets.UTF_8)
                .replace("cet-7f3a9c21", "cet-" + UUID.randomUUID());
        HttpResponse<String> tried = sandbox("Bearer " + token, request("cet", "webhook", sample));
        assertThat(tried.statusCode()).isEqualTo(200);
        JsonNode result = CanonicalJson.MAPPER.readTree(tried.body());
        assertThat(result.get("accepted").asInt()).isEqualTo(1);
        JsonNode preview = result.at("/referrals/0/referral");
        assertThat(preview.at("/routing/partnerId").asText()).isEqualTo("humber");
        assertThat(new HubClient(hub.baseUrl()).get("/v1/referrals/" + preview.get("referralId").asText(),
                KEYS.get("cet")).status()).as("the sandbox stores nothing").isEqualTo(404);

        HubClient.Reply live = new HubClient(hub.baseUrl()).postJson(KEYS.get("cet"), sample);
        JsonNode stored = new HubClient(hub.baseUrl()).get("/v1/referrals/" + live.body().get("referralId").asText(),
                KEYS.get("cet")).body();
        assertThat(stored.get("client")).isEqualTo(preview.get("client"));
        assertThat(stored.get("screening")).isEqualTo(preview.get("screening"));
        assertThat(stored.at("/routing/partnerId")).isEqualTo(preview.at("/routing/partnerId"));
        assertThat(stored.at("/routing/ruleId")).isEqualTo(preview.at("/routing/ruleId"));
    }

    @Test
    void aFileSampleAnswersRowByRowAndAnEmailSampleByForm() throws Exception {
        ObjectNode file = request("college-boreal", "file", "Prénom;Nom;Courriel;Consentement\nMarie;Dubois;marie@exemple.ca;Oui\nJean;;pas-un-courriel;Oui\n");
        file.put("fileName", "export.csv");
        JsonNode rows = CanonicalJson.MAPPER.readTree(sandbox("Bearer " + token, file).body());
        assertThat(rows.get("accepted").asInt()).isEqualTo(1);
        assertThat(rows.get("rejected").asInt()).isEqualTo(1);
        assertThat(rows.at("/referrals/1/where").asText()).isEqualTo("row 3");
        assertThat(rows.at("/referrals/1/errors/0/source").asText()).isIn("Nom", "Courriel");

        String mail = "From: coach@cics.example\r\nTo: referrals@hub.localhost\r\nSubject: x\r\n\r\n"
                + "First name: Amara\r\nLast name: Okafor\r\nEmail: amara@example.org\r\nConsent: yes\r\n";
        JsonNode email = CanonicalJson.MAPPER.readTree(sandbox("Bearer " + token, request("cics", "email", mail)).body());
        assertThat(email.get("accepted").asInt()).isEqualTo(1);
        assertThat(email.has("problems")).isFalse();
        JsonNode stranger = CanonicalJson.MAPPER.readTree(sandbox("Bearer " + token,
                request("cics", "email", mail.replace("coach@cics.example", "x@elsewhere.example"))).body());
        assertThat(stranger.at("/problems/0").asText()).contains("quarantined");
    }

    private static int cli(StringWriter out, StringWriter err, String... args) {
        return AdminCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void theCommandLineIsAThinClientOfTheSandbox() throws Exception {
        Path sample = data.resolve("cet-formtool.json");
        Files.write(sample, HubClient.sample("cet-formtool.json"));
        var out = new StringWriter();
        var err = new StringWriter();
        assertThat(cli(out, err, "--hub", hub.baseUrl(), "--token", token, "sandbox", "--agency", "cet", sample.toString()))
                .isEqualTo(0);
        assertThat(out.toString()).contains("the payload").contains("humber").contains("etobicoke-north")
                .contains("1 would be accepted, 0 refused");

        Path csv = data.resolve("rows.csv");
        Files.writeString(csv, "First Name,Last Name,Email,Consent\nAna,Silva,ana@example.pt,yes\nBo,,x,yes\n");
        var json = new StringWriter();
        assertThat(cli(json, err, "--hub", hub.baseUrl(), "--token", token, "sandbox", "-a", "cics", "-o", "json",
                csv.toString())).isEqualTo(0);
        assertThat(CanonicalJson.MAPPER.readTree(json.toString()).get("rejected").asInt()).isEqualTo(1);

        assertThat(cli(new StringWriter(), err, "--hub", hub.baseUrl(), "sandbox", "-a", "cics", csv.toString()))
                .as("no token").isEqualTo(2);
        var refused = new StringWriter();
        assertThat(cli(new StringWriter(), refused, "--hub", hub.baseUrl(), "--token", "wrong", "sandbox", "-a",
                "cics", csv.toString())).isEqualTo(1);
        assertThat(refused.toString()).contains("Unknown admin token");
        assertThat(cli(new StringWriter(), err, "--hub", "http://127.0.0.1:9", "--token", token, "sandbox", "-a",
                "cics", csv.toString())).as("unreachable").isEqualTo(3);
        var digest = new StringWriter();
        assertThat(cli(digest, err, "hash-password", "s3cret")).isEqualTo(0);
        assertThat(Passwords.matches("s3cret", digest.toString().trim())).isTrue();
        var help = new StringWriter();
        assertThat(cli(help, err, "sandbox", "--help")).isEqualTo(0);
        assertThat(help.toString()).contains("--agency");
    }

    @Test
    void onlyAdministratorsMayUseItAndBadRequestsAreExplained() throws Exception {
        assertThat(sandbox(null, request("cics", "webhook", "{}")).statusCode()).isEqualTo(401);
        assertThat(sandbox("Bearer " + KEYS.get("cics"), request("cics", "webhook", "{}")).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = sandbox("Bearer " + token, request("nobody", "webhook", "{}"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(sandbox("Bearer " + token, request("cics", "fax", "{}")).statusCode()).isEqualTo(400);
    }
}
