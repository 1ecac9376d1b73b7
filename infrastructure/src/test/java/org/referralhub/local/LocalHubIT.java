package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.delivery.WebhookSignature;

/**
 * The local hub as a newcomer runs it: real DynamoDB Local, the HTTP gateway, the stream-fed dispatcher and the
 * sandbox partners, driven over HTTP exactly as an agency's system would.
 */
class LocalHubIT {

    private static final Map<String, String> KEYS = LocalHub.demoKeys();
    private static final Duration DELIVERY = Duration.ofSeconds(20);

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static HubClient agency;

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID())
                .withConfigLocation(HubClient.fastRetryConfiguration(data)).withSweepMillis(300));
        agency = new HubClient(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static boolean delivered(JsonNode referral) {
        return "delivered".equals(referral.at("/delivery/state").asText());
    }

    private static List<JsonNode> sandboxDeliveries(String partnerId, String webhookId) throws Exception {
        JsonNode all = agency.get("/sandbox/partners/" + partnerId + "/deliveries", null).body();
        return Stream.iterate(0, i -> i + 1).limit(all.get("deliveries").size()).map(i -> all.get("deliveries").get(i))
                .filter(d -> webhookId.equals(d.get("webhookId").asText())).toList();
    }

    @Test
    void aWebhookReferralIsStoredRoutedAndDeliveredSigned() throws Exception {
        HubClient.Reply posted = agency.post(KEYS.get("tropicana"), "application/json",
                HubClient.sample("cics-canonical.json"), null);
        assertThat(posted.status()).isEqualTo(202);
        String id = posted.body().get("referralId").asText();
        assertThat(posted.body().get("partnerId").asText()).isEqualTo("jobstart");

        JsonNode referral = agency.awaitReferral(id, KEYS.get("tropicana"), LocalHubIT::delivered, DELIVERY);
        assertThat(referral.at("/delivery/attempts/0/outcome").asText()).isEqualTo("delivered");
        assertThat(referral.at("/delivery/attempts/0/responseStatus").asInt()).isEqualTo(200);
        assertThat(referral.at("/status").asText()).isEqualTo("requested");

        List<JsonNode> received = sandboxDeliveries("jobstart", "dlv_" + id + "_jobstart");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).get("signatureVerified").asBoolean()).isTrue();
        JsonNode sent = received.get(0).get("referral");
        assertThat(sent.at("/referralId").asText()).isEqualTo(id);
        assertThat(sent.at("/client/email").asText()).isEqualTo("amara.okafor@example.org");
        assertThat(sent.at("/client/phone").asText()).isEqualTo("+14165550123");
        assertThat(sent.has("delivery")).as("partners never see the hub's bookkeeping").isFalse();
    }

    @Test
    void aFormToolsNestedShapeIsMappedAndDeliveredByItsRoutingRule() throws Exception {
        HubClient.Reply posted = agency.post(KEYS.get("cet"), "application/json", HubClient.sample("cet-formtool.json"), null);
        assertThat(posted.status()).isEqualTo(202);
        String id = posted.body().get("referralId").asText();
        JsonNode referral = agency.awaitReferral(id, KEYS.get("cet"), LocalHubIT::delivered, DELIVERY);
        assertThat(referral.at("/routing/partnerId").asText()).isEqualTo("humber");
        assertThat(referral.at("/routing/ruleId").asText()).isEqualTo("etobicoke-north");
        assertThat(referral.at("/client/preferredLanguage").asText()).isEqualTo("pa");
        assertThat(sandboxDeliveries("humber", "dlv_" + id + "_humber")).hasSize(1);
    }

    @Test
    void aDuplicateAnswersTheOriginalIdAndThePartnerHearsOnce() throws Exception {
        String body = new String(HubClient.sample("college-boreal-crm.json"), StandardCharsets.UTF_8)
                .replace("CB-2026-0042", "CB-DUP-" + UUID.randomUUID());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String key = KEYS.get("college-boreal");
        HubClient.Reply first = agency.post(key, "application/json", bytes, "retry-me");
        HubClient.Reply sameKey = agency.post(key, "application/json", bytes, "retry-me");
        HubClient.Reply sameReference = agency.post(key, "application/json", bytes, "another-key");
        String id = first.body().get("referralId").asText();
        assertThat(first.body().get("duplicate").asBoolean()).isFalse();
        assertThat(sameKey.body().get("referralId").asText()).isEqualTo(id);
        assertThat(sameKey.body().get("duplicate").asBoolean()).isTrue();
        assertThat(sameReference.body().get("referralId").asText()).isEqualTo(id);

        agency.awaitReferral(id, key, LocalHubIT::delivered, DELIVERY);
        Thread.sleep(1000);
        assertThat(sandboxDeliveries("acces-employment", "dlv_" + id + "_acces-employment")).hasSize(1);
    }

    /** Bytes that are not UTF-8 (a Latin-1 é in a JSON body) are archived as they came, not re-encoded. */
    @Test
    void aBodyInAnotherEncodingIsArchivedByteForByte() throws Exception {
        byte[] latin1 = "{\"client\": {\"firstName\": \"Ren\u00e9e\"}}".getBytes(StandardCharsets.ISO_8859_1);
        HubClient.Reply reply = agency.post(KEYS.get("nych"), "application/json", latin1, null);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("detail").asText()).contains("not UTF-8");
        String receipt = reply.body().get("receiptId").asText();
        try (Stream<Path> files = Files.walk(data.resolve("archive"))) {
            Path archived = files.filter(f -> f.getFileName().toString().startsWith(receipt)).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(archived)).isEqualTo(latin1);
        }
    }

    /** Over HTTP, as an agency's CRM sees it: one JSON object, and one request per Idempotency-Key. */
    @Test
    void aBodyWithMoreThanOneObjectOrAKeyTwiceAndAKeyReusedAreAnsweredWithWhy() throws Exception {
        String key = KEYS.get("nych");
        HubClient.Reply trailing = agency.post(key, "application/json",
                "{\"client\": {\"firstName\": \"A\"}}{\"client\": {\"firstName\": \"B\"}}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(trailing.contentType()).isEqualTo("application/problem+json");
        assertThat(trailing.body().get("detail").asText()).contains("more after the JSON object").contains("line 1");
        HubClient.Reply twice = agency.post(key, "application/json",
                "{\"consent\": {\"given\": false, \"given\": true}}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.body().get("detail").asText()).contains("'given'").contains("more than once");

        String idempotencyKey = "crm-" + UUID.randomUUID();
        byte[] first = HubClient.sample("cics-canonical.json");
        String reference = "IK-" + UUID.randomUUID();
        byte[] mine = new String(first, StandardCharsets.UTF_8).replace("CICS-2026-0001", reference).getBytes(StandardCharsets.UTF_8);
        byte[] other = new String(first, StandardCharsets.UTF_8).replace("CICS-2026-0001", reference + "-other")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(agency.post(key, "application/json", mine, idempotencyKey).status()).isEqualTo(202);
        HubClient.Reply reused = agency.post(key, "application/json", other, idempotencyKey);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body().get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(agency.post(key, "application/json", mine, idempotencyKey).body().get("duplicate").asBoolean()).isTrue();
    }

    @Test
    void aMalformedBodyGetsProblemJsonAndIsArchivedAsReceived() throws Exception {
        byte[] broken = "{\"client\": {\"firstName\": \"Amara\", ".getBytes(StandardCharsets.UTF_8);
        HubClient.Reply reply = agency.post(KEYS.get("nych"), "application/json", broken, null);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.body().get("type").asText()).isEqualTo("/problems/malformed");
        assertThat(reply.body().toString()).doesNotContain("Amara");
        String receipt = reply.body().get("receiptId").asText();
        try (Stream<Path> files = Files.walk(data.resolve("archive"))) {
            Path archived = files.filter(f -> f.getFileName().toString().startsWith(receipt)).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(archived)).isEqualTo(broken);
        }
    }

    @Test
    void invalidFieldsAreListedOneByOne() throws Exception {
        HubClient.Reply reply = agency.postJson(KEYS.get("nych"), """
                {"client": {"firstName": "A", "email": "not-an-address", "postalCode": "12345"},
                 "consent": {"given": true}}""");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("client.email", "client.postalCode", "client.lastName");
    }

    @Test
    void wrongKeysSizesAndTypesGetTheirOwnProblems() throws Exception {
        assertThat(agency.postJson(null, "{}").status()).isEqualTo(401);
        assertThat(agency.postJson("rhk_cics_not-a-real-key", "{}").status()).isEqualTo(401);
        byte[] huge = ("{\"pad\": \"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HubClient.Reply tooLarge = agency.post(KEYS.get("cics"), "application/json", huge, null);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).isEqualTo("application/problem+json");
        assertThat(agency.post(KEYS.get("cics"), "text/csv", "a,b".getBytes(StandardCharsets.UTF_8), null).status())
                .isEqualTo(415);
    }

    @Test
    void anAgencyCannotReadAnotherAgencysReferral() throws Exception {
        String id = agency.post(KEYS.get("cics"), "application/json", HubClient.sample("cics-canonical.json"),
                "isolation-" + UUID.randomUUID()).body().get("referralId").asText();
        assertThat(agency.get("/v1/referrals/" + id, KEYS.get("cics")).status()).isEqualTo(200);
        HubClient.Reply other = agency.get("/v1/referrals/" + id, KEYS.get("nych"));
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body().toString()).doesNotContain("Okafor");
        assertThat(agency.get("/v1/referrals/not-an-id", KEYS.get("cics")).status()).isEqualTo(404);
    }

    @Test
    void aPartnerOutageIsRetriedWithBackoffAndEveryAttemptRecorded() throws Exception {
        assertThat(agency.postSandbox("/sandbox/partners/humber/failures", "{\"count\": 2, \"status\": 503}").status())
                .isEqualTo(200);
        String json = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                .replace("m2n6k1", "M9W 5L7").replace("CICS-2026-0001", "CICS-OUTAGE-" + UUID.randomUUID());
        String id = agency.postJson(KEYS.get("cics"), json).body().get("referralId").asText();
        JsonNode referral = agency.awaitReferral(id, KEYS.get("cics"), LocalHubIT::delivered, Duration.ofSeconds(30));
        assertThat(referral.at("/routing/partnerId").asText()).isEqualTo("humber");
        JsonNode attempts = referral.at("/delivery/attempts");
        assertThat(attempts).extracting(a -> a.get("outcome").asText()).containsExactly("failed", "failed", "delivered");
        assertThat(attempts.get(0).get("responseStatus").asInt()).isEqualTo(503);
        assertThat(attempts.get(0).get("detail").asText()).isEqualTo("partner answered HTTP 503");
        List<JsonNode> received = sandboxDeliveries("humber", "dlv_" + id + "_humber");
        assertThat(received).extracting(r -> r.get("answeredStatus").asInt()).containsExactly(503, 503, 200);
        assertThat(received).allSatisfy(r -> assertThat(r.get("webhookId").asText()).isEqualTo("dlv_" + id + "_humber"));
    }

    @Test
    void healthIsUp() throws Exception {
        HubClient.Reply health = agency.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("up");
    }

    @Test
    void theOpenApiDocumentIsServedAsJsonAndAsYamlAndEachReadsCleanly() throws Exception {
        var http = HttpClient.newHttpClient();
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> yaml = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("content-type")).hasValue("application/yaml");
        var fromJson = new OpenAPIV3Parser().readContents(json.body());
        var fromYaml = new OpenAPIV3Parser().readContents(yaml.body());
        assertThat(fromJson.getMessages()).isEmpty();
        assertThat(fromYaml.getMessages()).isEmpty();
        assertThat(fromYaml.getOpenAPI().getPaths().keySet()).isEqualTo(fromJson.getOpenAPI().getPaths().keySet())
                .contains("/v1/referrals", "/v1/partner/referrals/{id}/status", "/admin/v1/{collection}/{id}");
    }

    @Test
    void theSandboxRefusesAForgedSignature() throws Exception {
        var http = HttpClient.newHttpClient();
        String body = "{\"referralId\": \"x\"}";
        var request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/sandbox/partners/jobstart/webhook"))
                .header(WebhookSignature.ID_HEADER, "dlv_forged")
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(Instant.now().getEpochSecond()))
                .header(WebhookSignature.SIGNATURE_HEADER, "v1,AAAA")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(sandboxDeliveries("jobstart", "dlv_forged")).singleElement()
                .satisfies(d -> assertThat(d.get("signatureVerified").asBoolean()).isFalse());
    }
}
