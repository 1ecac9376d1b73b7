package org.referralhub.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The hub's {@link IdempotencyRecords} as a Camel idempotent repository, for consumers that poll (an agency's SFTP
 * server, a mailbox): {@code add} begins a record in progress for {@code lease}, {@code confirm} completes it,
 * {@code remove} lets it go after a failure. Of two pollers — or one before and after a restart — only one takes a
 * key; a poller that dies mid-way leaves a record that lapses after the lease, and the key is taken again.
 */
public final class DynamoDbIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final IdempotencyRecords records;
    private final String scope;
    private final Duration lease;
    private final Duration keep;
    private final Clock clock;
    private final String owner = "poller-" + UUID.randomUUID();
    /** Who holds each key this poller took: itself, or the poller that died and whose record it took over. */
    private final Map<String, String> held = new ConcurrentHashMap<>();

    public DynamoDbIdempotentRepository(IdempotencyRecords records, String scope, Duration lease, Duration keep,
                                        Clock clock) {
        this.records = records;
        this.scope = scope;
        this.lease = lease;
        this.keep = keep;
        this.clock = clock;
    }

    @Override
    public boolean add(String key) {
        if (records.begin(scope, key, owner, clock.instant(), lease, keep) instanceof IdempotencyRecords.Started started) {
            held.put(key, started.owner());
            return true;
        }
        return false;
    }

    @Override
    public boolean contains(String key) {
        return records.find(scope, key).isPresent();
    }

    @Override
    public boolean remove(String key) {
        String holder = held.remove(key);
        records.release(scope, key, holder == null ? owner : holder);
        return true;
    }

    @Override
    public boolean confirm(String key) {
        String holder = held.remove(key);
        records.complete(scope, key, holder == null ? owner : holder, null, clock.instant(), keep);
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the hub never forgets every input at once");
    }
}
