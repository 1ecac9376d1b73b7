package org.referralhub.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.referralhub.referral.CanonicalJson;

/**
 * Secrets Manager through the AWS Parameters and Secrets Lambda extension (a layer in template.yaml): a local HTTP
 * call, cached by the extension, with no SDK client to start.
 */
public final class LambdaExtensionSecretStore implements SecretStore {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String port;

    public LambdaExtensionSecretStore(String port) {
        this.port = port == null ? "2773" : port;
    }

    @Override
    public byte[] get(String name) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/secretsmanager/get?secretId=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .header("X-Aws-Parameters-Secrets-Token", System.getenv("AWS_SESSION_TOKEN"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("secret '" + name + "' is not available (" + response.statusCode() + ")");
            }
            JsonNode body = CanonicalJson.MAPPER.readTree(response.body());
            return body.path("SecretString").asText().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the secrets extension did not answer for '" + name + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading secret '" + name + "'", e);
        }
    }
}
