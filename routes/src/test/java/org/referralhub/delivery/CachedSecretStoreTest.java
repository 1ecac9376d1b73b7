package org.referralhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedSecretStoreTest {

    private final Map<String, String> stored = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final SecretStore store = new SecretStore() {
        @Override
        public byte[] get(String name) {
            reads.incrementAndGet();
            String value = stored.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no secret " + name);
            }
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void put(String name, byte[] secret) {
            stored.put(name, new String(secret, StandardCharsets.UTF_8));
        }
    };

    private Instant now = Instant.parse("2026-12-05T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private String read(SecretStore secrets, String name) {
        return new String(secrets.get(name), StandardCharsets.UTF_8);
    }

    @Test
    void aSecretIsReadOncePerCacheAgeAndARotationIsSeenAfterIt() {
        CachedSecretStore secrets = new CachedSecretStore(store, Duration.ofMinutes(5), clock);
        stored.put("smtp", "one");
        assertThat(read(secrets, "smtp")).isEqualTo("one");
        stored.put("smtp", "two");
        now = now.plus(Duration.ofMinutes(4));
        assertThat(read(secrets, "smtp")).isEqualTo("one");
        assertThat(reads).hasValue(1);
        now = now.plus(Duration.ofMinutes(1));
        assertThat(read(secrets, "smtp")).isEqualTo("two");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedReadIsNotKeptAndAWriteIsReadBackAtOnce() {
        CachedSecretStore secrets = new CachedSecretStore(store, Duration.ofMinutes(5), clock);
        assertThatThrownBy(() -> secrets.get("late")).isInstanceOf(IllegalArgumentException.class);
        stored.put("late", "made since");
        assertThat(read(secrets, "late")).isEqualTo("made since");
        secrets.put("late", "replaced".getBytes(StandardCharsets.UTF_8));
        assertThat(read(secrets, "late")).isEqualTo("replaced");
    }

    @Test
    void aConfigurationsSecretNameIsReadUnderTheStacksPrefixUnlessItIsAlreadyThereOrAnArn() {
        SecretsManagerSecretStore secrets = new SecretsManagerSecretStore(null, "hub-", null);
        assertThat(secrets.nameOf("referral-hub-demo-humber-deliveries")).isEqualTo("hub-referral-hub-demo-humber-deliveries");
        assertThat(secrets.nameOf("hub-signing-partner-x-0a1b")).isEqualTo("hub-signing-partner-x-0a1b");
        assertThat(secrets.nameOf("arn:aws:secretsmanager:ca-central-1:1:secret:hub-status-link-key-AbCdEf"))
                .startsWith("arn:aws:secretsmanager:");
    }
}
