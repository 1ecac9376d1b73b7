package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralhub.functions.AwsEvents;
import org.referralhub.functions.ReferralApiFunction;
import org.referralhub.referral.CanonicalJson;

/** The API handler fed with API Gateway HTTP API (payload 2.0) event JSON, against a real DynamoDB Local. */
class ReferralApiFunctionIT extends HubOnDynamoDbLocal {

    private ReferralApiFunction handler;

    @BeforeEach
    void handler() {
        handler = new ReferralApiFunction(hub);
    }

    private APIGatewayV2HTTPResponse invoke(String event) {
        return handler.handleRequest(AwsEvents.read(APIGatewayV2HTTPEvent.class, "events/" + event),
                new LocalLambdaContext("referral-api"));
    }

    private APIGatewayV2HTTPResponse invoke(String event, String referralId) throws Exception {
        String json;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("events/" + event)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("REFERRAL_ID", referralId);
        }
        return handler.handleRequest(AwsEvents.read(APIGatewayV2HTTPEvent.class,
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))), new LocalLambdaContext("referral-api"));
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return CanonicalJson.MAPPER.readTree(response.getBody());
    }

    @Test
    void whenTheArchiveCannotTakeThePayloadTheAnswerIs503WithRetryAfterAndNothingIsStored() throws Exception {
        Path archive = data.resolve("archive");
        if (Files.exists(archive)) {
            try (var files = Files.walk(archive)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.writeString(archive, "not a directory: the archive's disk is gone");
        APIGatewayV2HTTPResponse refused = invoke("apigw-post-referral.json");
        assertThat(refused.getStatusCode()).isEqualTo(503);
        assertThat(refused.getHeaders()).containsEntry("Retry-After", "5");
        assertThat(body(refused).get("type").asText()).isEqualTo("/problems/unavailable");
        assertThat(hub.services().store().agencyPage("cet", Instant.EPOCH, Instant.now().plusSeconds(5),
                null, 10, r -> true).referrals()).as("nothing half-written").isEmpty();
    }

    @Test
    void aFormToolWebhookEventIsAcceptedStoredAndReadable() throws Exception {
        APIGatewayV2HTTPResponse posted = invoke("apigw-post-referral.json");
        assertThat(posted.getStatusCode()).isEqualTo(202);
        JsonNode accepted = body(posted);
        String id = accepted.get("referralId").asText();
        assertThat(accepted.get("status").asText()).isEqualTo("requested");
        assertThat(accepted.get("partnerId").asText()).isEqualTo("humber");
        assertThat(posted.getHeaders()).containsEntry("Location", "/v1/referrals/" + id);

        APIGatewayV2HTTPResponse read = invoke("apigw-get-referral.json", id);
        assertThat(read.getStatusCode()).isEqualTo(200);
        JsonNode referral = body(read);
        assertThat(referral.at("/client/email").asText()).isEqualTo("rajesh.kumar@example.com");
        assertThat(referral.at("/source/agencyReference").asText()).isEqualTo("cet-7f3a9c21");
        assertThat(referral.at("/delivery/state").asText()).isEqualTo("pending");
        String raw = referral.at("/source/rawPayloadRef").asText();
        assertThat(Files.readString(Path.of(URI.create(raw)))).contains("\"form_response\"");
    }

    @Test
    void theSameEventTwiceIsOneReferral() throws Exception {
        String first = body(invoke("apigw-post-referral.json")).get("referralId").asText();
        JsonNode again = body(invoke("apigw-post-referral.json"));
        assertThat(again.get("referralId").asText()).isEqualTo(first);
        assertThat(again.get("duplicate").asBoolean()).isTrue();
    }

    @Test
    void aBase64BodyWithTheWrongContentTypeIsArchivedThenRefusedWith415() throws Exception {
        APIGatewayV2HTTPResponse response = invoke("apigw-post-referral-base64.json");
        assertThat(response.getStatusCode()).isEqualTo(415);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        String receipt = body(response).get("receiptId").asText();
        try (var files = Files.walk(data.resolve("archive"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(receipt))).hasSize(1);
        }
    }

    @Test
    void healthAndUnknownRoutesAnswerAsAnApi() throws Exception {
        assertThat(invoke("apigw-health.json").getStatusCode()).isEqualTo(200);
        APIGatewayV2HTTPResponse unknown = invoke("apigw-unknown-route.json");
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(body(unknown).get("status").asInt()).isEqualTo(404);
    }
}
