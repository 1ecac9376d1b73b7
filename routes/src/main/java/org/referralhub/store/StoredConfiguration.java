package org.referralhub.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration in force, read from the table and kept for {@code maxAge}: each function container (and the
 * local hub) sees an administrator's change within that delay, without a redeploy. A check costs one small read of
 * the version number; the configuration itself is read again only when the number moved. When the table cannot be
 * reached the last configuration read stays in force.
 */
public final class StoredConfiguration implements ConfigurationSource {

    private static final Logger LOG = LoggerFactory.getLogger(StoredConfiguration.class);

    private final ConfigurationStore store;
    private final Map<String, String> placeholders;
    private final Function<String, String> secrets;
    private final Duration maxAge;
    private final Clock clock;
    private volatile Loaded loaded;

    private record Loaded(long version, HubConfiguration config, Instant checkedAt) {
    }

    /** @param secrets the values of the {@code {{secret:name}}} the configuration holds (null: none) */
    public StoredConfiguration(ConfigurationStore store, Map<String, String> placeholders,
                               Function<String, String> secrets, Duration maxAge, Clock clock) {
        this.store = store;
        this.placeholders = Map.copyOf(placeholders);
        this.secrets = secrets;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The values this hub fills into the configuration's {@code {{name}}} placeholders. */
    public Map<String, String> placeholders() {
        return placeholders;
    }

    /** Where this hub reads the configuration's {@code {{secret:name}}} from. */
    public Function<String, String> secrets() {
        return secrets;
    }

    @Override
    public HubConfiguration current() {
        Loaded now = loaded;
        Instant at = clock.instant();
        if (now != null && at.isBefore(now.checkedAt().plus(maxAge))) {
            return now.config();
        }
        synchronized (this) {
            now = loaded;
            if (now != null && at.isBefore(now.checkedAt().plus(maxAge))) {
                return now.config();
            }
            try {
                if (now != null && store.currentNumber() == now.version()) {
                    loaded = new Loaded(now.version(), now.config(), at);
                    return now.config();
                }
                ConfigurationStore.Version version = store.current().orElseThrow(() ->
                        new IllegalStateException("the hub has no configuration in its table"));
                HubConfiguration config = ConfigurationLoader.resolve(version.configuration(), placeholders, secrets);
                loaded = new Loaded(version.number(), config, at);
                if (now != null) {
                    LOG.info("configuration version {} is now in force", version.number());
                }
                return config;
            } catch (RuntimeException e) {
                if (now == null) {
                    throw e;
                }
                LOG.warn("configuration could not be re-read ({}); version {} stays in force",
                        e.getClass().getSimpleName(), now.version());
                loaded = new Loaded(now.version(), now.config(), at);
                return now.config();
            }
        }
    }

    /** The version now in force, as this container last read it. */
    public long version() {
        current();
        return loaded.version();
    }

    /** Forget what was read, so the next use reads the table (after a change made here). */
    public void refresh() {
        loaded = loaded == null ? null : new Loaded(loaded.version(), loaded.config(), Instant.EPOCH);
    }
}
