package org.referralhub.camel.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.camel.WingParts;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.intake.WebhookReader;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Referral;

/** The intake wing's HTTP routes on their own: the agency door, the webhook intake, storing and reading back. */
class WebhookIntakeRoutesTest extends CamelTestSupport {

    @TempDir
    Path folder;
    private WingParts parts;

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        parts = new WingParts(folder);
        AgencyDoor door = new AgencyDoor(parts.configs, parts.signIns(), parts.archive, parts.clock, 256 * 1024);
        return new RoutesBuilder[] {new ApiErrorHandling(), new WebhookIntakeRoutes(door, new WebhookReader(new ReferralIntake(parts.config)), new ReferralIntake(parts.config)),
                new StoreReferralRoutes(parts.store, parts.clock), new AgencyReadRoutes(door, parts.store, parts.clock)};
    }

    @AfterEach
    void closeParts() {
        parts.close();
    }

    @Test
    void aReferralPostedWithAnAgencyKeyIsArchivedAsSentStoredAndReadBack() throws IOException {
        byte[] body = sample();
        ApiReply reply = post(Map.of("X-Api-Key", WingParts.CICS_KEY, "Content-Type", "application/json"), body);

        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        JsonNode answer = CanonicalJson.MAPPER.readTree(reply.body());
        String referralId = answer.path("referralId").asText();
        assertThat(answer.path("duplicate").asBoolean()).isFalse();
        Referral stored = parts.store.find(referralId).orElseThrow();
        assertThat(stored.agencyId()).isEqualTo("cics");
        assertThat(parts.archive.read(stored.source().rawPayloadRef())).isEqualTo(body);

        ApiReply read = template.requestBody(Endpoints.REFERRAL_READ, new ApiRequest("GET", "/v1/referrals/" + referralId,
                Map.of("id", referralId), Map.of("X-Api-Key", WingParts.CICS_KEY), null, "r2", "127.0.0.1"), ApiReply.class);
        assertThat(read.status()).isEqualTo(200);
        assertThat(CanonicalJson.MAPPER.readTree(read.body()).path("referralId").asText()).isEqualTo(referralId);
    }

    @Test
    void aFieldTheMappingDoesNotReadIsNamedInTheAnswer() throws IOException {
        String body = new String(sample(), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"intakeNotes\": {\"text\": \"x\"}, ");
        ApiReply reply = post(Map.of("X-Api-Key", WingParts.CICS_KEY, "Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        JsonNode notRead = CanonicalJson.MAPPER.readTree(reply.body()).path("notRead");
        assertThat(notRead).hasSize(1);
        assertThat(notRead.get(0).path("name").asText()).isEqualTo("intakeNotes");
    }

    @Test
    void withoutAKeyNothingIsArchivedAndTheAnswerIsAProblem() throws IOException {
        ApiReply reply = post(Map.of("Content-Type", "application/json"), sample());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(CanonicalJson.MAPPER.readTree(reply.body()).path("title").asText()).isEqualTo("Missing API key");
        assertThat(Files.exists(folder.resolve("archive"))
                && Files.walk(folder.resolve("archive")).anyMatch(Files::isRegularFile)).isFalse();
    }

    @Test
    void aBodyOfAnotherTypeIsArchivedBeforeItIsRefused() throws IOException {
        ApiReply reply = post(Map.of("X-Api-Key", WingParts.CICS_KEY, "Content-Type", "text/plain"), sample());

        assertThat(reply.status()).isEqualTo(415);
        String receipt = CanonicalJson.MAPPER.readTree(reply.body()).path("receiptId").asText();
        assertThat(receipt).isNotEmpty();
        assertThat(Files.walk(folder.resolve("archive")).filter(Files::isRegularFile).count()).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeySentAgainWithAnotherBodyIsRefusedAndTheSameBodyAnswersTheFirst() throws IOException {
        byte[] first = sample();
        byte[] other = new String(first, StandardCharsets.UTF_8).replace("Okafor", "Okafor-Adeyemi")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("X-Api-Key", WingParts.CICS_KEY, "Content-Type", "application/json",
                "Idempotency-Key", "crm-7781");
        ApiReply accepted = post(headers, first);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String referralId = CanonicalJson.MAPPER.readTree(accepted.body()).path("referralId").asText();

        ApiReply reused = post(headers, other);
        assertThat(reused.status()).as(reused.body()).isEqualTo(422);
        assertThat(reused.headers()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = CanonicalJson.MAPPER.readTree(reused.body());
        assertThat(problem.path("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(problem.path("receiptId").asText()).as("the second body is archived all the same").isNotEmpty();

        ApiReply again = post(headers, first);
        assertThat(again.status()).isEqualTo(202);
        assertThat(CanonicalJson.MAPPER.readTree(again.body()).path("referralId").asText()).isEqualTo(referralId);
        assertThat(CanonicalJson.MAPPER.readTree(again.body()).path("duplicate").asBoolean()).isTrue();
    }

    @Test
    void aBodyWithAKeyTwiceOrContentAfterItIsAProblemNamingIt() throws IOException {
        Map<String, String> headers = Map.of("X-Api-Key", WingParts.CICS_KEY, "Content-Type", "application/json");
        ApiReply twice = post(headers, "{\"consent\": {\"given\": false, \"given\": true}}".getBytes(StandardCharsets.UTF_8));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(CanonicalJson.MAPPER.readTree(twice.body()).path("detail").asText()).contains("'given'");
        ApiReply trailing = post(headers, (new String(sample(), StandardCharsets.UTF_8) + "{}").getBytes(StandardCharsets.UTF_8));
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(CanonicalJson.MAPPER.readTree(trailing.body()).path("detail").asText()).contains("after the JSON object");
    }

    private ApiReply post(Map<String, String> headers, byte[] body) {
        return template.requestBody(Endpoints.WEBHOOK_INTAKE, new ApiRequest("POST", "/v1/referrals", Map.of(), headers,
                body, "r1", "127.0.0.1"), ApiReply.class);
    }

    private static byte[] sample() throws IOException {
        try (InputStream in = WebhookIntakeRoutesTest.class.getClassLoader().getResourceAsStream("samples/cics-canonical.json")) {
            return in.readAllBytes();
        }
    }
}
