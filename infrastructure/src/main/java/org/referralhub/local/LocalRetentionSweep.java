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
    private final Path archive;
    private final Duration archiveRetention;
    private final Clock clock;

    LocalRetentionSweep(DynamoDbClient dynamo, String table, Path archive, Duration archiveRetention, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.archive = archive;
        this.archiveRetention = archiveRetention;
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
        if (Files.isDirectory(archive)) {
            Instant cutoff = now.minus(archiveRetention);
            try (Stream<Path> all = Files.walk(archive)) {
                for (Path file : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                        Files.delete(file);
                        files++;
                    }
                }
            } catch (IOException e) {
                LOG.warn("archive retention sweep stopped: {}", e.getClass().getSimpleName());
            }
        }
        if (items > 0 || files > 0) {
            LOG.info("retention: {} expired items and {} archived payloads deleted", items, files);
        }
        return new int[]{items, files};
    }
}
