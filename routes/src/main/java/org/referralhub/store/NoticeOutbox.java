package org.referralhub.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.referralhub.referral.Channel;
import org.referralhub.outcome.Notice;
import org.referralhub.referral.CanonicalJson;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Notices to agencies waiting to go out, one item per notice and channel ({@code NOTICE#<id>#<channel>}), written
 * in the same transaction as the status change they tell of and listed by the sparse {@code dispatchDue} index
 * (partition {@code NOTIFY}) until sent. A notice that cannot go out is tried again with backoff; sent or given up,
 * it leaves the index and expires after 90 days.
 */
public final class NoticeOutbox {

    static final String PARTITION = "NOTIFY";
    /** Notices given up, listed for administrators (and replayed from there). */
    static final String GIVEN_UP = "NOTIFY-FAILED";
    private static final Duration KEEP = Duration.ofDays(90);

    private final DynamoDbTable<ReferralItem> table;
    private final DynamoDbIndex<ReferralItem> due;

    public NoticeOutbox(DynamoDbEnhancedClient enhanced, String tableName) {
        this.table = enhanced.table(tableName, ReferralItem.SCHEMA);
        this.due = table.index(ReferralItem.DISPATCH_DUE);
    }

    /** A notice to send on one channel ({@code webhook}, {@code email}, {@code sftp}), and how often it was tried. */
    public record Pending(String key, Channel channel, Notice notice, int attempts) {
    }

    /** The item of a new notice for a channel, due at {@code at}. */
    static ReferralItem item(Notice notice, Channel channel, Instant at) {
        ReferralItem item = new ReferralItem();
        item.setPk("NOTICE#" + notice.noticeId() + "#" + channel.code());
        item.setSk("NOTICE");
        item.setKind("notice");
        item.setReferralId(notice.referralId());
        item.setAgencyId(notice.agencyId());
        item.setPartnerId(notice.partnerId());
        item.setStatus(channel.code());
        item.setDeliveryState("pending");
        item.setDocument(CanonicalJson.write(notice));
        item.setVersion(0L);
        item.setDuePk(PARTITION);
        item.setDueSk(ReferralStore.sortable(at) + "#" + item.getPk());
        return item;
    }

    /**
     * A notice not tied to a referral's change (administrators told of a partner's pause), due at once; written once
     * whatever number of callers add it.
     */
    public void add(Notice notice, Channel channel, Instant now) {
        try {
            table.putItem(r -> r.item(item(notice, channel, now)).conditionExpression(
                    Expression.builder().expression("attribute_not_exists(pk)").build()));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // another container added the same notice
        }
    }

    /** Notices due at {@code now}, oldest first. */
    public List<Pending> due(Instant now, int limit) {
        QueryConditional upTo = QueryConditional.sortLessThanOrEqualTo(
                Key.builder().partitionValue(PARTITION).sortValue(ReferralStore.sortable(now) + "#~").build());
        List<Pending> out = new ArrayList<>();
        for (var page : due.query(r -> r.queryConditional(upTo).limit(limit))) {
            for (ReferralItem key : page.items()) {
                find(key.getPk()).ifPresent(out::add);
                if (out.size() >= limit) {
                    return out;
                }
            }
            break;
        }
        return out;
    }

    private Optional<Pending> find(String pk) {
        ReferralItem item = table.getItem(r -> r.key(Key.builder().partitionValue(pk).sortValue("NOTICE").build())
                .consistentRead(true));
        if (item == null || item.getDuePk() == null) {
            return Optional.empty();
        }
        Notice notice = CanonicalJson.read(item.getDocument(), Notice.class);
        return Optional.of(new Pending(pk, Channel.fromCode(item.getStatus()), notice, item.getVersion() == null ? 0 : item.getVersion().intValue()));
    }

    /** Sent: off the index, kept 90 days. */
    public void sent(Pending pending, Instant now) {
        settle(pending, "sent", now);
    }

    /** Given up after too many attempts: listed as a dead letter until replayed, kept 90 days. */
    public void failed(Pending pending, Instant now) {
        ReferralItem item = table.getItem(r -> r.key(key(pending.key())).consistentRead(true));
        if (item == null) {
            return;
        }
        item.setVersion((long) pending.attempts() + 1);
        item.setDeliveryState("failed");
        item.setDuePk(GIVEN_UP);
        item.setDueSk(ReferralStore.sortable(now) + "#" + item.getPk());
        item.setExpiresAt(now.plus(KEEP).getEpochSecond());
        table.putItem(item);
    }

    /** Notices given up, oldest first. */
    public List<Pending> givenUp(int limit) {
        List<Pending> out = new ArrayList<>();
        for (var page : due.query(r -> r.queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(GIVEN_UP).build())))) {
            for (ReferralItem key : page.items()) {
                ReferralItem item = table.getItem(r -> r.key(key(key.getPk())).consistentRead(true));
                if (item != null && GIVEN_UP.equals(item.getDuePk())) {
                    out.add(new Pending(item.getPk(), Channel.fromCode(item.getStatus()), CanonicalJson.read(item.getDocument(), Notice.class),
                            item.getVersion() == null ? 0 : item.getVersion().intValue()));
                }
                if (out.size() >= limit) {
                    return out;
                }
            }
        }
        return out;
    }

    /** A given-up notice sent again from now, with a fresh attempt budget. */
    public boolean replay(String key, Instant now) {
        ReferralItem item = table.getItem(r -> r.key(key(key)).consistentRead(true));
        if (item == null || !GIVEN_UP.equals(item.getDuePk())) {
            return false;
        }
        item.setVersion(0L);
        item.setDeliveryState("pending");
        item.setDuePk(PARTITION);
        item.setDueSk(ReferralStore.sortable(now) + "#" + item.getPk());
        item.setExpiresAt(null);
        table.putItem(item);
        return true;
    }

    /** Tried and failed: try again at {@code next}. */
    public void retry(Pending pending, Instant next) {
        ReferralItem item = table.getItem(r -> r.key(key(pending.key())).consistentRead(true));
        if (item == null) {
            return;
        }
        item.setVersion((long) pending.attempts() + 1);
        item.setDueSk(ReferralStore.sortable(next) + "#" + item.getPk());
        table.putItem(item);
    }

    private void settle(Pending pending, String state, Instant now) {
        ReferralItem item = table.getItem(r -> r.key(key(pending.key())).consistentRead(true));
        if (item == null) {
            return;
        }
        item.setVersion((long) pending.attempts() + 1);
        item.setDeliveryState(state);
        item.setDuePk(null);
        item.setDueSk(null);
        item.setExpiresAt(now.plus(KEEP).getEpochSecond());
        table.putItem(item);
    }

    private static Key key(String pk) {
        return Key.builder().partitionValue(pk).sortValue("NOTICE").build();
    }
}
