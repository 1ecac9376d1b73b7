package org.referralhub.store;

import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.referralhub.referral.Sha256;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A Camel idempotent repository in the referrals table: "seen" is a conditional put, so of two pollers — or a
 * poller before and after a restart or a cold start — only one ever gets to process a key. Entries expire after
 * {@code keep} (DynamoDB TTL).
 */
public final class DynamoDbIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private static final String SK = "SEEN";

    private final DynamoDbTable<ReferralItem> table;
    private final String scope;
    private final Duration keep;
    private final Clock clock;

    public DynamoDbIdempotentRepository(DynamoDbEnhancedClient enhanced, String tableName, String scope, Duration keep,
                                        Clock clock) {
        this.table = enhanced.table(tableName, ReferralItem.SCHEMA);
        this.scope = scope;
        this.keep = keep;
        this.clock = clock;
    }

    private Key key(String key) {
        return Key.builder().partitionValue("SEEN#" + scope + "#" + Sha256.hex(key)).sortValue(SK).build();
    }

    @Override
    public boolean add(String key) {
        ReferralItem item = new ReferralItem();
        item.setPk(key(key).partitionKeyValue().s());
        item.setSk(SK);
        item.setKind("seen");
        Instant now = clock.instant();
        item.setReceivedAt(now.toString());
        item.setExpiresAt(now.plus(keep).getEpochSecond());
        try {
            table.putItem(PutItemEnhancedRequest.builder(ReferralItem.class).item(item)
                    .conditionExpression(Expression.builder().expression("attribute_not_exists(#pk)")
                            .putExpressionName("#pk", ReferralItem.PK).build()).build());
            return true;
        } catch (ConditionalCheckFailedException seen) {
            return false;
        }
    }

    @Override
    public boolean contains(String key) {
        return table.getItem(r -> r.key(key(key)).consistentRead(true)) != null;
    }

    @Override
    public boolean remove(String key) {
        return table.deleteItem(key(key)) != null;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the hub never forgets every file at once");
    }
}
