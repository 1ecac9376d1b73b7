package org.referralhub.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A secret store whose reads are kept for a while: a function reads each secret once per {@code ttl} (the SMTP or
 * mailbox password, a partner's SFTP key, the status-link key) rather than at each use, and a secret rotated in the
 * store is in use everywhere within {@code ttl}. A read that fails is not kept. Writes go straight through.
 */
public final class CachedSecretStore implements SecretStore {

    /** How long a read is kept unless the settings say otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    private record Kept(byte[] value, Instant until) {
    }

    private final SecretStore store;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    public CachedSecretStore(SecretStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public byte[] get(String name) {
        Instant now = clock.instant();
        Kept value = kept.get(name);
        if (value == null || !now.isBefore(value.until())) {
            value = new Kept(store.get(name), now.plus(ttl));
            kept.put(name, value);
        }
        return value.value().clone();
    }

    @Override
    public void put(String name, byte[] secret) {
        store.put(name, secret);
        kept.remove(name);
    }
}
