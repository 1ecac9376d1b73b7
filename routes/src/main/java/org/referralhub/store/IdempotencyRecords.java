package org.referralhub.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.referralhub.referral.Sha256;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The hub's one idempotency mechanism, for every entry point: a record per (scope, key) in the referrals table,
 * {@code IDEMPOTENCY#<scope>#<sha256(key)>}, written by a conditional put, in the spirit of Powertools' idempotency
 * design. A record is <em>in progress</em> until a deadline its holder may push back while it works (a long file), or
 * <em>completed</em> with the result the first caller answered; both expire by DynamoDB TTL after {@code keep}.
 *
 * <p>{@link #begin} answers one of three things: {@link Started} (go ahead — also when the holder of an in-progress
 * record died and its deadline passed: then the original owner id and start time are handed over, so the work is
 * resumed under the same receipt), {@link InProgress} (someone is working on it now: wait, or tell the sender to
 * retry), or {@link Completed} (done: answer the original result). A failure {@link #release}s the record so a retry
 * starts afresh. A webhook's record is written completed in the same transaction as its referral (see
 * {@link ReferralStore#insert}), so it has no in-progress state to lose.
 */
public final class IdempotencyRecords {

    static final String PREFIX = "IDEMPOTENCY#";
    static final String SK = "CLAIM";
    static final String IN_PROGRESS = "in-progress";
    static final String COMPLETED = "completed";

    private final DynamoDbTable<ReferralItem> table;

    public IdempotencyRecords(DynamoDbEnhancedClient enhanced, String tableName) {
        this.table = enhanced.table(tableName, ReferralItem.SCHEMA);
    }

    /** What {@link #begin} found. */
    public sealed interface Claim permits Started, InProgress, Completed {
    }

    /**
     * The caller holds the record. {@code owner} and {@code startedAt} are the caller's own, or — {@code resumed} — those
     * of the holder that died, whose work this caller takes over.
     */
    public record Started(String owner, Instant startedAt, boolean resumed) implements Claim {
    }

    /** Another caller holds the record until {@code until}. */
    public record InProgress(String owner, Instant until) implements Claim {
    }

    /** Done before: {@code result} is what the first caller answered (may be null). */
    public record Completed(String owner, String result) implements Claim {
    }

    static String partitionKey(String scope, String key) {
        return PREFIX + scope + "#" + Sha256.hex(key);
    }

    private static Key key(String scope, String key) {
        return Key.builder().partitionValue(partitionKey(scope, key)).sortValue(SK).build();
    }

    /**
     * Claims (scope, key) for {@code owner} until {@code now + inFlight}; the record is kept {@code keep} after it was
     * written.
     */
    public Claim begin(String scope, String key, String owner, Instant now, Duration inFlight, Duration keep) {
        if (putIfAbsent(item(scope, key, owner, now, now, inFlight, keep))) {
            return new Started(owner, now, false);
        }
        return existing(scope, key, owner, now, inFlight, keep);
    }

    private boolean putIfAbsent(ReferralItem item) {
        try {
            table.putItem(PutItemEnhancedRequest.builder(ReferralItem.class).item(item)
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(#pk)")
                            .putExpressionName("#pk", ReferralItem.PK).build()).build());
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        }
    }

    private Claim existing(String scope, String key, String owner, Instant now, Duration inFlight, Duration keep) {
        for (int attempt = 0; attempt < 5; attempt++) {
            ReferralItem found = table.getItem(r -> r.key(key(scope, key)).consistentRead(true));
            if (found == null) {
                // released or expired between the two calls: try to take it afresh
                if (putIfAbsent(item(scope, key, owner, now, now, inFlight, keep))) {
                    return new Started(owner, now, false);
                }
                continue;
            }
            if (COMPLETED.equals(found.getStatus())) {
                return new Completed(found.getReferralId(), found.getDocument());
            }
            long until = found.getInProgressUntil() == null ? 0 : found.getInProgressUntil();
            if (until > now.toEpochMilli()) {
                return new InProgress(found.getReferralId(), Instant.ofEpochMilli(until));
            }
            // its holder died: take over under the same owner id, only if nobody else did first
            Instant startedAt = found.getReceivedAt() == null ? now : Instant.parse(found.getReceivedAt());
            ReferralItem item = item(scope, key, found.getReferralId(), startedAt, now, inFlight, keep);
            try {
                table.putItem(PutItemEnhancedRequest.builder(ReferralItem.class).item(item)
                        .conditionExpression(Expression.builder().expression("#s = :ip AND #until = :until")
                                .putExpressionName("#s", "status").putExpressionName("#until", "inProgressUntil")
                                .putExpressionValue(":ip", AttributeValue.fromS(IN_PROGRESS))
                                .putExpressionValue(":until", AttributeValue.fromN(Long.toString(until))).build())
                        .build());
                return new Started(found.getReferralId(), startedAt, true);
            } catch (ConditionalCheckFailedException raced) {
                // another caller took it over or finished it: read again
            }
        }
        throw new IllegalStateException("idempotency record kept changing in scope " + scope);
    }

    /** Pushes the deadline of a record this owner holds; answers false when it no longer holds it. */
    public boolean extend(String scope, String key, String owner, Instant startedAt, Instant now, Duration inFlight,
                          Duration keep) {
        ReferralItem item = item(scope, key, owner, startedAt, now, inFlight, keep);
        try {
            table.putItem(PutItemEnhancedRequest.builder(ReferralItem.class).item(item).conditionExpression(held(owner))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /** Marks the record completed with the result to answer repeats (null: none); kept {@code keep} from now. */
    public void complete(String scope, String key, String owner, String result, Instant now, Duration keep) {
        table.putItem(completedItem(scope, key, owner, result, now, keep));
    }

    /** The record as a completed one, for writing inside a transaction with the work it stands for. */
    static ReferralItem completedItem(String scope, String key, String owner, String result, Instant now, Duration keep) {
        ReferralItem item = record(scope, key, owner, COMPLETED, now, now.plus(keep));
        item.setDocument(result);
        return item;
    }

    /** A record of (scope, key) held by {@code owner}, started at {@code startedAt}, forgotten at {@code expires}. */
    private static ReferralItem record(String scope, String key, String owner, String status, Instant startedAt,
                                       Instant expires) {
        ReferralItem item = new ReferralItem();
        item.setPk(partitionKey(scope, key));
        item.setSk(SK);
        item.setKind("idempotency");
        item.setStatus(status);
        item.setReferralId(owner);
        item.setReceivedAt(startedAt.toString());
        item.setExpiresAt(expires.getEpochSecond());
        return item;
    }

    /** Lets go of an in-progress record this owner holds, so a retry starts afresh (the work failed). */
    public void release(String scope, String key, String owner) {
        try {
            table.deleteItem(DeleteItemEnhancedRequest.builder().key(key(scope, key)).conditionExpression(held(owner))
                    .build());
        } catch (ConditionalCheckFailedException notHeld) {
            // completed, taken over, or gone: nothing to let go of
        }
    }

    /** The record, completed or in progress, or empty. */
    public Optional<Claim> find(String scope, String key) {
        ReferralItem found = table.getItem(r -> r.key(key(scope, key)).consistentRead(true));
        if (found == null) {
            return Optional.empty();
        }
        if (COMPLETED.equals(found.getStatus())) {
            return Optional.of(new Completed(found.getReferralId(), found.getDocument()));
        }
        return Optional.of(new InProgress(found.getReferralId(),
                Instant.ofEpochMilli(found.getInProgressUntil() == null ? 0 : found.getInProgressUntil())));
    }

    private static Expression held(String owner) {
        return Expression.builder().expression("#s = :ip AND #owner = :owner")
                .putExpressionName("#s", "status").putExpressionName("#owner", "referralId")
                .putExpressionValue(":ip", AttributeValue.fromS(IN_PROGRESS))
                .putExpressionValue(":owner", AttributeValue.fromS(owner)).build();
    }

    private static ReferralItem item(String scope, String key, String owner, Instant startedAt, Instant now,
                                     Duration inFlight, Duration keep) {
        ReferralItem item = record(scope, key, owner, IN_PROGRESS, startedAt, now.plus(keep));
        item.setInProgressUntil(now.plus(inFlight).toEpochMilli());
        return item;
    }
}
