package org.referralhub.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.referralhub.referral.CanonicalJson;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Secrets Manager in AWS. Reads go through {@code reads} (the Parameters and Secrets Lambda extension, cached, no
 * client to start), or — where the extension cannot be asked, in a SnapStart function — a signed call; the secrets the
 * hub makes (webhook signing secrets an administrator creates or rotates) are
 * written with a SigV4-signed {@code CreateSecret} call — the hub's only write, so no SDK client is loaded for it —
 * encrypted with the stack's own KMS key.
 */
public final class SecretsManagerSecretStore implements SecretStore {

    private static final String JSON_1_1 = "application/x-amz-json-1.1";
    /** Headers the JDK's HTTP client sets itself and refuses to be given. */
    private static final List<String> RESTRICTED = List.of("host", "content-length", "connection", "expect", "upgrade");

    private final SecretStore reads;
    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final String kmsKeyId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param reads    the extension, or null where it cannot be asked (no session token: SnapStart)
     * @param endpoint {@code https://secretsmanager.<region>.amazonaws.com}, or an override (LocalStack)
     * @param kmsKeyId the key new secrets are encrypted with (null: the account's default key)
     */
    public SecretsManagerSecretStore(SecretStore reads, URI endpoint, String region, AwsCredentialsProvider credentials,
                                     String kmsKeyId) {
        this.reads = reads;
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.kmsKeyId = kmsKeyId;
    }

    /**
     * Through the extension when it can be asked (it takes the invocation's session token); a SnapStart function has
     * no such token, so there the secret is read with a signed {@code GetSecretValue} — once per name and container.
     */
    @Override
    public byte[] get(String name) {
        if (reads != null) {
            return reads.get(name);
        }
        ObjectNode body = CanonicalJson.MAPPER.createObjectNode();
        body.put("SecretId", name);
        return call("GetSecretValue", body, name).path("SecretString").asText().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void put(String name, byte[] secret) {
        ObjectNode body = CanonicalJson.MAPPER.createObjectNode();
        body.put("Name", name);
        body.put("SecretString", new String(secret, StandardCharsets.UTF_8));
        body.put("Description", "made by the referral hub; named by its configuration");
        if (kmsKeyId != null && !kmsKeyId.isBlank()) {
            body.put("KmsKeyId", kmsKeyId);
        }
        call("CreateSecret", CanonicalJson.MAPPER.valueToTree(body), name);
    }

    private JsonNode call(String action, JsonNode request, String name) {
        byte[] payload = CanonicalJson.write(request).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", JSON_1_1).putHeader("X-Amz-Target", "secretsmanager." + action).build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder out = HttpRequest.newBuilder(signed.request().getUri()).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(v -> out.header(header.getKey(), v));
            }
        }
        try {
            HttpResponse<byte[]> response = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = response.body().length == 0 ? CanonicalJson.MAPPER.createObjectNode()
                    : CanonicalJson.MAPPER.readTree(response.body());
            if (response.statusCode() != 200) {
                // the error's type only: its message may quote what was sent
                throw new IllegalStateException("Secrets Manager refused " + action + " of '" + name + "': "
                        + answer.path("__type").asText("HTTP " + response.statusCode()));
            }
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException("Secrets Manager did not answer " + action + " of '" + name + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + action + " of '" + name + "'", e);
        }
    }
}
