package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralhub.delivery.SecretStore;
import org.referralhub.delivery.SecretsManagerSecretStore;
import org.referralhub.referral.CanonicalJson;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The one write the hub makes to Secrets Manager, as it goes on the wire: Secrets Manager cannot run here, so a
 * loopback server stands in for its JSON endpoint and records what arrives.
 */
class SecretsManagerSecretStoreIT {

    private record Call(String target, String authorization, String amzDate, JsonNode body) {
    }

    private HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"ARN\":\"arn:aws:secretsmanager:ca-central-1:1:secret:x\",\"Name\":\"x\"}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            calls.add(new Call(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Amz-Date"), CanonicalJson.MAPPER.readTree(body)));
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SecretsManagerSecretStore store() {
        return store(name -> "read".getBytes(StandardCharsets.UTF_8));
    }

    private SecretsManagerSecretStore store(SecretStore extension) {
        return new SecretsManagerSecretStore(extension,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "ca-central-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "example-secret-key")),
                "arn:aws:kms:ca-central-1:111122223333:key/data-key");
    }

    @Test
    void aNewSecretIsCreatedUnderTheStackKeyWithASigV4SignedCall() {
        store().put("hub-signing-partner-humber-deliveries-0a1b2c3d4e", "whsec_dGVzdA==".getBytes(StandardCharsets.UTF_8));

        assertThat(calls).hasSize(1);
        Call call = calls.get(0);
        assertThat(call.target()).isEqualTo("secretsmanager.CreateSecret");
        assertThat(call.body().get("Name").asText()).isEqualTo("hub-signing-partner-humber-deliveries-0a1b2c3d4e");
        assertThat(call.body().get("SecretString").asText()).isEqualTo("whsec_dGVzdA==");
        assertThat(call.body().get("KmsKeyId").asText()).isEqualTo("arn:aws:kms:ca-central-1:111122223333:key/data-key");
        assertThat(call.amzDate()).matches("\\d{8}T\\d{6}Z");
        assertThat(call.authorization()).matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + call.amzDate().substring(0, 8)
                + "/ca-central-1/secretsmanager/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}");
    }

    @Test
    void aRefusalSaysWhichSecretAndWhyWithoutEchoingIt() {
        status = 400;
        answer = "{\"__type\":\"ResourceExistsException\",\"message\":\"the secret whsec_dGVzdA== already exists\"}";
        assertThatThrownBy(() -> store().put("taken", "whsec_dGVzdA==".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("Secrets Manager refused CreateSecret of 'taken': ResourceExistsException")
                .hasMessageNotContaining("whsec_");
    }

    @Test
    void readsGoThroughTheExtension() {
        assertThat(new String(store().get("anything"), StandardCharsets.UTF_8)).isEqualTo("read");
        assertThat(calls).isEmpty();
    }

    @Test
    void withoutTheExtensionAsUnderSnapStartASecretIsReadWithASignedCall() {
        answer = "{\"Name\":\"hub-signing-x\",\"SecretString\":\"whsec_cmVhZA==\"}";
        assertThat(new String(store(null).get("hub-signing-x"), StandardCharsets.UTF_8)).isEqualTo("whsec_cmVhZA==");
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.target()).isEqualTo("secretsmanager.GetSecretValue");
            assertThat(call.body().get("SecretId").asText()).isEqualTo("hub-signing-x");
            assertThat(call.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
        });
    }
}
