package org.referralhub.delivery;

import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Secrets Manager in AWS, through the SDK's client (its retries, its typed errors, the function's role). Every name
 * the hub reads or makes is its stack's: a name the configuration gives ({@code {{secret:humber-deliveries}}},
 * {@code privateKeyRef}) is read as {@code <prefix>humber-deliveries}, so the functions' policies name only
 * {@code <stack>-*} secrets; a full ARN or a name already under the prefix is read as it is. New secrets (webhook
 * signing secrets an administrator creates or rotates) are encrypted with the stack's own KMS key. Reads are not
 * cached here: {@link CachedSecretStore} does that.
 */
public final class SecretsManagerSecretStore implements SecretStore {

    private final SecretsManagerClient client;
    private final String prefix;
    private final String kmsKeyId;

    /**
     * @param prefix   the stack's prefix for secret names ({@code <stack>-}; empty: names as given)
     * @param kmsKeyId the key new secrets are encrypted with (null: the account's default key)
     */
    public SecretsManagerSecretStore(SecretsManagerClient client, String prefix, String kmsKeyId) {
        this.client = client;
        this.prefix = prefix == null ? "" : prefix;
        this.kmsKeyId = kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId;
    }

    /** The name a configuration's secret has in Secrets Manager: under the stack's prefix, unless an ARN or there. */
    public String nameOf(String name) {
        return name.startsWith("arn:") || name.startsWith(prefix) ? name : prefix + name;
    }

    @Override
    public byte[] get(String name) {
        String id = nameOf(name);
        try {
            GetSecretValueResponse value = client.getSecretValue(r -> r.secretId(id));
            return value.secretString() != null ? value.secretString().getBytes(StandardCharsets.UTF_8)
                    : value.secretBinary().asByteArray();
        } catch (ResourceNotFoundException e) {
            throw new IllegalArgumentException("Secrets Manager has no secret '" + id + "'");
        } catch (SecretsManagerException e) {
            // the error's code only: its message may quote what was sent
            throw new IllegalStateException("Secrets Manager refused to read '" + id + "': " + code(e));
        }
    }

    @Override
    public void put(String name, byte[] secret) {
        String id = nameOf(name);
        try {
            client.createSecret(r -> r.name(id).secretString(new String(secret, StandardCharsets.UTF_8))
                    .description("made by the referral hub; named by its configuration").kmsKeyId(kmsKeyId));
        } catch (SecretsManagerException e) {
            throw new IllegalStateException("Secrets Manager refused CreateSecret of '" + id + "': " + code(e));
        }
    }

    private static String code(SecretsManagerException e) {
        return e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
    }
}
