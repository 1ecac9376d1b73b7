package org.referralhub.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Failed sign-ins counted per door (agency keys, partner keys, admin tokens, status links, SFTP logins) and per
 * source address, over a sliding window: atomic counters per tenth of the window in the referrals table, shared by
 * every container, summed over the last window's worth. A source that failed {@code limit} times within any window
 * (to a tenth of it) is refused at that door — even with a good credential — for a whole window from the failure that
 * reached the limit. (Fixed windows let about twice the limit through across a window's boundary.) Blocks are kept in
 * the container too, so a refused source costs no table call; another container learns of the block at the source's
 * next failure there.
 */
public final class FailedAttempts {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final Map<String, Instant> blocked = new ConcurrentHashMap<>();

    public FailedAttempts(DynamoDbClient dynamo, String table, Clock clock, int limit, Duration window) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    /** Until when this source is refused at this door, if it is now. */
    public Optional<Instant> blockedUntil(String door, String source) {
        Instant until = blocked.get(door + "|" + source(source));
        Instant now = clock.instant();
        if (until == null || !until.isAfter(now)) {
            if (until != null) {
                blocked.remove(door + "|" + source(source));
            }
            return Optional.empty();
        }
        return Optional.of(until);
    }

    /** Counts a failed attempt; answers until when the source is now refused, if this failure reached the limit. */
    public Optional<Instant> failed(String door, String source) {
        Instant now = clock.instant();
        long step = Math.max(1, window.toSeconds() / STEPS);
        long start = now.getEpochSecond() / step * step;
        String pk = "FAILED#" + door + "#" + source(source);
        dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of(ReferralItem.PK, AttributeValue.fromS(pk), ReferralItem.SK, AttributeValue.fromS(bucket(start))))
                .updateExpression("ADD attempts :one SET kind = :kind, " + ReferralItem.TTL_ATTRIBUTE + " = :ttl")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                        ":kind", AttributeValue.fromS("failed-attempts"),
                        ":ttl", AttributeValue.fromN(Long.toString(start + step + 2 * window.toSeconds())))));
        // this step and the ones before it that fall within the window (the counters are consistent reads)
        long attempts = 0;
        var pages = dynamo.queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", ReferralItem.PK, "#sk", ReferralItem.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                        ":from", AttributeValue.fromS(bucket(start - (STEPS - 1) * step)),
                        ":to", AttributeValue.fromS(bucket(start)))));
        for (var item : pages.items()) {
            AttributeValue count = item.get("attempts");
            attempts += count == null ? 0 : Long.parseLong(count.n());
        }
        if (attempts >= limit) {
            Instant until = now.plus(window);
            blocked.put(door + "|" + source(source), until);
            return Optional.of(until);
        }
        return Optional.empty();
    }

    /** The window is counted in this many steps. */
    private static final int STEPS = 10;

    /** A step's sort key: its first second, zero-padded so the keys sort as the times do. */
    private static String bucket(long epochSecond) {
        return "WINDOW#" + String.format("%012d", epochSecond);
    }

    private static String source(String source) {
        return source == null || source.isBlank() ? "unknown" : source;
    }
}
