package org.referralhub.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.referralhub.store.ReferralItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local hub's stand-in for what AWS does on its own: DynamoDB Local does not delete items whose TTL
 * ({@code expiresAt}) passed, and a directory has no lifecycle rules. Every hour this sweep deletes expired items —
 * closed referrals past their program's retention, old idempotency records, notices — and archived raw payloads older
 * than the archive's retention, as the S3 lifecycle rule of template.yaml does.
 */
final class LocalRetentionSweep {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRetentionSweep.class);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Map<Path, Duration> folders;
    private final Clock clock;

    /** @param folders each folder whose files expire, with their age limit (as the buckets' lifecycle rules) */
    LocalRetentionSweep(DynamoDbClient dynamo, String table, Map<Path, Duration> folders, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.folders = Map.copyOf(folders);
        this.clock = clock;
    }

    /** Answers how many items and archive files it deleted. */
    int[] run() {
        Instant now = clock.instant();
        int items = 0;
        for (var page : dynamo.scanPaginator(r -> r.tableName(table).projectionExpression("pk, sk")
                .filterExpression(ReferralItem.TTL_ATTRIBUTE + " < :now")
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))))) {
            for (Map<String, AttributeValue> key : page.items()) {
                dynamo.deleteItem(r -> r.tableName(table).key(key));
                items++;
            }
        }
        int files = 0;
        for (Map.Entry<Path, Duration> folder : folders.entrySet()) {
            if (!Files.isDirectory(folder.getKey())) {
                continue;
            }
            Instant cutoff = now.minus(folder.getValue());
            try (Stream<Path> all = Files.walk(folder.getKey())) {
                for (Path file : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                        Files.delete(file);
                        files++;
                    }
                }
            } catch (IOException e) {
                LOG.warn("retention sweep of a folder stopped: {}", e.getClass().getSimpleName());
            }
        }
        if (items > 0 || files > 0) {
            LOG.info("retention: {} expired items and {} expired files deleted", items, files);
        }
        return new int[]{items, files};
    }
}
