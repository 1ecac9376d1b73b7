package org.referralhub.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Failed sign-ins counted per door (agency keys, partner keys, admin tokens, status links, SFTP logins) and per
 * source address, in fixed windows: one atomic counter per window in the referrals table, shared by every container.
 * A source that failed {@code limit} times in a window is refused at that door — even with a good credential — until
 * the window ends. Blocks are kept in the container too, so a refused source costs no table call; another container
 * learns of the block at the source's next failure there.
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
        long windowSeconds = window.toSeconds();
        long start = now.getEpochSecond() / windowSeconds * windowSeconds;
        Instant end = Instant.ofEpochSecond(start + windowSeconds);
        var response = dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of(ReferralItem.PK, AttributeValue.fromS("FAILED#" + door + "#" + source(source)),
                        ReferralItem.SK, AttributeValue.fromS("WINDOW#" + start)))
                .updateExpression("ADD attempts :one SET kind = :kind, " + ReferralItem.TTL_ATTRIBUTE + " = :ttl")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                        ":kind", AttributeValue.fromS("failed-attempts"),
                        ":ttl", AttributeValue.fromN(Long.toString(end.plus(window).getEpochSecond()))))
                .returnValues(ReturnValue.UPDATED_NEW));
        long attempts = Long.parseLong(response.attributes().get("attempts").n());
        if (attempts >= limit) {
            blocked.put(door + "|" + source(source), end);
            return Optional.of(end);
        }
        return Optional.empty();
    }

    private static String source(String source) {
        return source == null || source.isBlank() ? "unknown" : source;
    }
}
