package org.referralhub.hub;

import java.time.Duration;
import org.referralhub.delivery.CachedSecretStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's deployment settings, as environment variables: in AWS template.yaml sets them with {@code !Ref}, the
 * local hub sets them itself. {@link #VARIABLES} lists every name the code reads, and a test checks template.yaml
 * sets each one that AWS needs.
 */
public final class HubSettings {

    /** DynamoDB table holding referrals, claims and delivery state. */
    public static final String REFERRALS_TABLE = "REFERRALS_TABLE";
    /** S3 bucket of the raw-payload archive (AWS). */
    public static final String ARCHIVE_BUCKET = "ARCHIVE_BUCKET";
    /** Directory of the raw-payload archive (local hub, when no bucket is set). */
    public static final String ARCHIVE_DIR = "ARCHIVE_DIR";
    /** Where the configuration is: a file path, or {@code classpath:...} (default: the packaged demo). */
    public static final String HUB_CONFIG = "HUB_CONFIG";
    /**
     * Seconds a container keeps the configuration before checking the table for a newer version (default 30): the
     * longest an administrator's change takes to reach every function.
     */
    public static final String CONFIG_CACHE_SECONDS = "CONFIG_CACHE_SECONDS";
    /** The hub's public base URL, filled into the configuration's {@code {{hubBaseUrl}}} placeholders. */
    public static final String HUB_BASE_URL = "HUB_BASE_URL";
    /** S3 bucket behind the SFTP server, where agencies drop files (AWS). */
    public static final String FILE_DROP_BUCKET = "FILE_DROP_BUCKET";
    /** Directory of the local SFTP server's homes (local hub, when no bucket is set). */
    public static final String FILE_DROP_DIR = "FILE_DROP_DIR";
    /** The IAM role agencies' SFTP sessions assume in Transfer Family (AWS). */
    public static final String SFTP_USER_ROLE_ARN = "SFTP_USER_ROLE_ARN";
    /** Largest accepted agency file in bytes (default 52428800). */
    public static final String MAX_FILE_BYTES = "MAX_FILE_BYTES";
    /** Directory of the local key store, owner-only (local hub); in AWS secrets come from Secrets Manager. */
    public static final String KEY_STORE_DIR = "KEY_STORE_DIR";
    /** Put before the names of the secrets the hub makes (AWS: the stack's name and a dash; IAM is scoped to it). */
    public static final String SECRET_NAME_PREFIX = "SECRET_NAME_PREFIX";
    /** The KMS key the secrets the hub makes are encrypted with (AWS; the stack's data key). */
    public static final String SECRETS_KMS_KEY = "SECRETS_KMS_KEY";
    /** Seconds a secret read from Secrets Manager is kept before it is read again (default 300): a rotated secret is in use everywhere within it. */
    public static final String SECRETS_CACHE_SECONDS = "SECRETS_CACHE_SECONDS";
    /** Name of the key that signs partners' status links, in the secret store (default status-link-key). */
    public static final String STATUS_LINK_KEY_REF = "STATUS_LINK_KEY_REF";
    /** S3 bucket where SES stores received mail (AWS). */
    public static final String MAIL_DROP_BUCKET = "MAIL_DROP_BUCKET";
    /** Directory where the local SMTP server drops received mail (local hub, when no bucket is set). */
    public static final String MAIL_DROP_DIR = "MAIL_DROP_DIR";
    /** The hub's address: agencies write to it, replies come from it. */
    public static final String HUB_EMAIL_ADDRESS = "HUB_EMAIL_ADDRESS";
    /**
     * How the hub's own mail goes out: {@code ses} (AWS: SES's v2 API under the function's role) or, unset, SMTP to
     * {@link #SMTP_HOST} (the local hub's own SMTP server, or any relay an operator names).
     */
    public static final String MAIL_TRANSPORT = "MAIL_TRANSPORT";
    /** SMTP server for the hub's own mail when it is not sent through SES (the local SMTP server locally). */
    public static final String SMTP_HOST = "SMTP_HOST";
    public static final String SMTP_PORT = "SMTP_PORT";
    /** "true" to require STARTTLS (SES). */
    public static final String SMTP_STARTTLS = "SMTP_STARTTLS";
    public static final String SMTP_USERNAME = "SMTP_USERNAME";
    /** Name of the SMTP password in the secret store. */
    public static final String SMTP_PASSWORD_REF = "SMTP_PASSWORD_REF";
    /** Largest accepted e-mail in bytes (default 20971520). */
    public static final String MAX_EMAIL_BYTES = "MAX_EMAIL_BYTES";
    /** Most attachments in one e-mail (default 10). */
    public static final String MAX_EMAIL_ATTACHMENTS = "MAX_EMAIL_ATTACHMENTS";
    /** Largest accepted webhook body in bytes (default 262144). */
    public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";
    /**
     * Seconds an intake (a file, a message) stays claimed by a reader that shows no sign of life before another may
     * take it over (default 120; readers renew it as they go).
     */
    public static final String INTAKE_LEASE_SECONDS = "INTAKE_LEASE_SECONDS";
    /** Failed sign-ins a source may make at one door in a window before it is refused there (default 20). */
    public static final String AUTH_FAILURE_LIMIT = "AUTH_FAILURE_LIMIT";
    /** The window of {@link #AUTH_FAILURE_LIMIT}, in seconds (default 600). */
    public static final String AUTH_FAILURE_WINDOW_SECONDS = "AUTH_FAILURE_WINDOW_SECONDS";
    /** Endpoint override for every AWS client: LocalStack, DynamoDB Local or any compatible endpoint. */
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    /**
     * The access key id and secret ({@code id:secret}) to sign with at {@link #AWS_ENDPOINT_URL}: the local hub's
     * DynamoDB Local, whose credentials each install makes for itself. Never set in AWS.
     */
    public static final String ENDPOINT_CREDENTIALS = "ENDPOINT_CREDENTIALS";
    /**
     * Where webhooks may be sent: {@code public} (AWS: never the hub's own network or the metadata service) or, unset,
     * anywhere (the local hub, whose stand-in partners are on loopback).
     */
    public static final String OUTBOUND_ADDRESSES = "OUTBOUND_ADDRESSES";
    /** Region (Lambda sets it). */
    public static final String AWS_REGION = "AWS_REGION";

    /** Every variable the code reads, and whether a deployed function must have it set by the template. */
    public static final Map<String, Boolean> VARIABLES = Map.ofEntries(
            Map.entry(REFERRALS_TABLE, true),
            Map.entry(ARCHIVE_BUCKET, true),
            Map.entry(ARCHIVE_DIR, false),
            Map.entry(INTAKE_LEASE_SECONDS, false),
            Map.entry(AUTH_FAILURE_LIMIT, false),
            Map.entry(AUTH_FAILURE_WINDOW_SECONDS, false),
            Map.entry(HUB_CONFIG, true),
            Map.entry(CONFIG_CACHE_SECONDS, true),
            Map.entry(HUB_BASE_URL, true),
            Map.entry(MAX_BODY_BYTES, true),
            Map.entry(FILE_DROP_BUCKET, true),
            Map.entry(FILE_DROP_DIR, false),
            Map.entry(SFTP_USER_ROLE_ARN, false),
            Map.entry(MAX_FILE_BYTES, true),
            Map.entry(MAIL_DROP_BUCKET, true),
            Map.entry(MAIL_DROP_DIR, false),
            Map.entry(HUB_EMAIL_ADDRESS, true),
            Map.entry(MAIL_TRANSPORT, true),
            Map.entry(SMTP_HOST, false),
            Map.entry(SMTP_PORT, false),
            Map.entry(SMTP_STARTTLS, false),
            Map.entry(SMTP_USERNAME, false),
            Map.entry(SMTP_PASSWORD_REF, false),
            Map.entry(MAX_EMAIL_BYTES, true),
            Map.entry(MAX_EMAIL_ATTACHMENTS, true),
            Map.entry(KEY_STORE_DIR, false),
            Map.entry(SECRET_NAME_PREFIX, true),
            Map.entry(SECRETS_KMS_KEY, true),
            Map.entry(STATUS_LINK_KEY_REF, true),
            Map.entry(SECRETS_CACHE_SECONDS, false),
            Map.entry(AWS_ENDPOINT_URL, false),
            Map.entry(ENDPOINT_CREDENTIALS, false),
            Map.entry(OUTBOUND_ADDRESSES, true),
            Map.entry(AWS_REGION, false));

    public static final String DEFAULT_CONFIG = "classpath:hub-config.yaml";
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    public static final long DEFAULT_MAX_FILE_BYTES = 50L * 1024 * 1024;

    private final Map<String, String> values;

    private HubSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static HubSettings fromEnvironment() {
        Map<String, String> found = new HashMap<>();
        for (String name : VARIABLES.keySet()) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                found.put(name, value);
            }
        }
        return new HubSettings(found);
    }

    public static HubSettings of(Map<String, String> values) {
        List<String> unknown = values.keySet().stream().filter(k -> !VARIABLES.containsKey(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting(s) " + unknown);
        }
        return new HubSettings(values);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }

    public int maxBodyBytes() {
        return get(MAX_BODY_BYTES).map(Integer::parseInt).orElse(DEFAULT_MAX_BODY_BYTES);
    }

    public long maxFileBytes() {
        return get(MAX_FILE_BYTES).map(Long::parseLong).orElse(DEFAULT_MAX_FILE_BYTES);
    }

    public int authFailureLimit() {
        return get(AUTH_FAILURE_LIMIT).map(Integer::parseInt).orElse(20);
    }

    public Duration authFailureWindow() {
        return Duration.ofSeconds(get(AUTH_FAILURE_WINDOW_SECONDS).map(Long::parseLong).orElse(600L));
    }

    public Duration intakeLease() {
        return Duration.ofSeconds(get(INTAKE_LEASE_SECONDS).map(Long::parseLong).orElse(120L));
    }

    public Duration configCacheAge() {
        return Duration.ofSeconds(get(CONFIG_CACHE_SECONDS).map(Long::parseLong).orElse(30L));
    }

    public Duration secretsCacheAge() {
        return get(SECRETS_CACHE_SECONDS).map(Long::parseLong).map(Duration::ofSeconds)
                .orElse(CachedSecretStore.DEFAULT_TTL);
    }

    public String configLocation() {
        return get(HUB_CONFIG).orElse(DEFAULT_CONFIG);
    }
}
