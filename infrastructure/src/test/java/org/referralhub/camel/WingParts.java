package org.referralhub.camel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.referralhub.archive.DirectoryRawArchive;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.referralhub.store.FailedAttempts;
import org.referralhub.store.ReferralStore;
import org.referralhub.store.ReferralTableDefinition;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;

/**
 * What a wing's routes work with in a route test, real and in this process: DynamoDB Local embedded (no socket, a
 * table of the hub's definition per test), the raw archive in a temporary folder, the demo configuration, a fixed
 * clock that a test moves on.
 */
public final class WingParts implements AutoCloseable {

    /** The demo agency CICS's API key (README). */
    public static final String CICS_KEY = "rhk_cics_DemoOnlyCics00000000000000000000";
    public static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

    private final AtomicReference<Instant> time = new AtomicReference<>(NOW);
    /** The hub's clock: {@link #NOW} until a test moves it on. */
    public final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return time.get();
        }
    };
    public final DynamoDbClient dynamo = DynamoDBEmbedded.create().dynamoDbClient();
    public final String table = "referrals-" + UUID.randomUUID();
    public final HubConfiguration config;
    public final ConfigurationSource configs;
    public final ReferralStore store;
    public final DirectoryRawArchive archive;
    public final FailedAttempts attempts;

    public WingParts(Path folder) {
        ReferralTableDefinition.ensureExists(dynamo, table);
        config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "http://localhost:9"),
                name -> "whsec_" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)));
        configs = ConfigurationSource.of(config);
        store = new ReferralStore(DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(), table);
        archive = new DirectoryRawArchive(folder.resolve("archive"));
        attempts = new FailedAttempts(dynamo, table, clock, 20, Duration.ofMinutes(10));
    }

    /** Moves the hub's clock on. */
    public void advance(Duration by) {
        time.updateAndGet(t -> t.plus(by));
    }

    public SignInLimit signIns() {
        return new SignInLimit(attempts, clock);
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
