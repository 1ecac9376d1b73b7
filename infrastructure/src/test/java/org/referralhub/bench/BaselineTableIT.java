package org.referralhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.local.LocalHub;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A benchmark's baseline writes into the hub's kind of table — the same keys, indexes, stream, TTL and billing as the
 * table the local hub makes for itself — or its ratio compares two different things (as README's old ingest ratio
 * did). The comparison is shown to catch a table that differs by its stream alone.
 */
class BaselineTableIT {

    @TempDir
    Path data;

    @Test
    void aBaselineTableIsTheHubsKindOfTable() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()));
             BaselineTable baseline = BaselineTable.fresh()) {
            String table = hub.hub().services().store().tableName();
            Map<String, Object> hubs = BaselineTable.shape(hub.hub().dynamo(), table);
            assertThat(hubs.get("stream").toString()).contains("StreamEnabled=true");
            assertThat(BaselineTable.shape(baseline.dynamo(), baseline.name())).isEqualTo(hubs);

            // the comparison is live: the same keys without the stream, indexes and TTL are not the hub's table
            String plain = "plain-" + UUID.randomUUID();
            baseline.dynamo().createTable(r -> r.tableName(plain).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE)));
            assertThat(BaselineTable.shape(baseline.dynamo(), plain)).isNotEqualTo(hubs);
        }
    }
}
