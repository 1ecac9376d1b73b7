package org.referralhub.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.referralhub.referral.CanonicalJson;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The hub's configuration in the referrals table, every change a new numbered version: {@code CONFIG/CURRENT}
 * holds the version in force, {@code CONFIG/VERSION#n} every version ever saved with who saved it, when, and what
 * changed (secrets never in it). A save names the version it changed; if another administrator saved first, it is
 * refused, so no change overwrites one its author did not see. The configuration is stored as written, placeholders
 * unfilled, gzipped.
 */
public final class ConfigurationStore {

    private static final String PARTITION = "CONFIG";
    private static final String CURRENT = "CURRENT";
    private static final String VERSION_PREFIX = "VERSION#";

    private final DynamoDbClient dynamo;
    private final String table;

    public ConfigurationStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** One saved version: the configuration tree (placeholders unfilled) and its audit record. */
    public record Version(long number, ObjectNode configuration, Audit audit) {
    }

    /**
     * Who changed what, and when. {@code changes} is the redacted difference from the version before.
     *
     * @param restoredFrom the version a restore brought back, or null
     */
    public record Audit(String by, Instant at, String summary, JsonNode changes, Long restoredFrom) {
    }

    /** Another administrator saved a version after the one this change was made on. */
    public static final class ConcurrentChange extends RuntimeException {
        public ConcurrentChange(long expected) {
            super("the configuration changed since version " + expected, null, false, false);
        }
    }

    /** The version in force, if the hub has a configuration yet. */
    public Optional<Version> current() {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(CURRENT))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(version(item));
    }

    /** The version number in force, read cheaply (no configuration), or 0 when there is none. */
    public long currentNumber() {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(CURRENT))
                .projectionExpression("#v").expressionAttributeNames(Map.of("#v", "configVersion"))).item();
        return item == null || !item.containsKey("configVersion") ? 0 : Long.parseLong(item.get("configVersion").n());
    }

    public Optional<Version> version(long number) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(versionKey(number)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(version(item));
    }

    /** The audit trail, newest first: up to {@code limit} versions older than {@code before} (null: the newest). */
    public List<Version> history(int limit, Long before) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(PARTITION));
        values.put(":from", AttributeValue.fromS(VERSION_PREFIX));
        values.put(":to", AttributeValue.fromS(before == null ? VERSION_PREFIX + "~" : versionKey(before)));
        QueryResponse response = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(values).scanIndexForward(false).limit(limit + 1));
        List<Version> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            Version v = version(item);
            if (before == null || v.number() < before) {
                out.add(v);
            }
        }
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /**
     * Saves a new version on top of {@code expected} (0: the first), in one transaction with the pointer to the
     * version in force.
     *
     * @throws ConcurrentChange when {@code expected} is no longer the version in force
     */
    public Version save(long expected, ObjectNode configuration, Audit audit) {
        long number = expected + 1;
        byte[] packed = gzip(CanonicalJson.write(configuration));
        if (packed.length > 350_000) {
            throw new IllegalArgumentException("the configuration is too large to store (" + packed.length
                    + " bytes compressed; the limit is 350000)");
        }
        Map<String, AttributeValue> versionItem = new HashMap<>(key(versionKey(number)));
        versionItem.put("kind", AttributeValue.fromS("config-version"));
        versionItem.put("configVersion", AttributeValue.fromN(Long.toString(number)));
        versionItem.put("configGz", AttributeValue.fromB(SdkBytes.fromByteArray(packed)));
        versionItem.put("audit", AttributeValue.fromS(CanonicalJson.write(audit)));
        Map<String, AttributeValue> currentItem = new HashMap<>(versionItem);
        currentItem.putAll(key(CURRENT));
        currentItem.put("kind", AttributeValue.fromS("config-current"));
        Put current = expected == 0
                ? Put.builder().tableName(table).item(currentItem).conditionExpression("attribute_not_exists(pk)").build()
                : Put.builder().tableName(table).item(currentItem).conditionExpression("configVersion = :expected")
                        .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expected)))).build();
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(current).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(versionItem)
                            .conditionExpression("attribute_not_exists(pk)")).build()));
        } catch (TransactionCanceledException e) {
            throw new ConcurrentChange(expected);
        }
        return new Version(number, configuration, audit);
    }

    private static Version version(Map<String, AttributeValue> item) {
        try {
            ObjectNode configuration = (ObjectNode) CanonicalJson.MAPPER.readTree(gunzip(item.get("configGz").b().asByteArray()));
            Audit audit = CanonicalJson.MAPPER.readValue(item.get("audit").s(), Audit.class);
            return new Version(Long.parseLong(item.get("configVersion").n()), configuration, audit);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored configuration version does not read", e);
        }
    }

    private static Map<String, AttributeValue> key(String sk) {
        return Map.of(ReferralItem.PK, AttributeValue.fromS(PARTITION), ReferralItem.SK, AttributeValue.fromS(sk));
    }

    private static String versionKey(long number) {
        return VERSION_PREFIX + String.format("%012d", number);
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] packed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(packed))) {
            return in.readAllBytes();
        }
    }
}
