package org.referralhub.bench;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.referralhub.local.DynamoDbLocalServer;
import org.referralhub.local.LocalHub;
import org.referralhub.store.ReferralTableDefinition;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Where a baseline writes: a fresh DynamoDB Local of its own, in memory, holding one table made by the hub's own
 * definition ({@link ReferralTableDefinition}: its keys, three indexes, stream and TTL), warmed before it is timed —
 * so a baseline never shares a DynamoDB Local with the hub's table, nor starts cold. (Until 2026-12-06 the ingest
 * baseline wrote into a second table of the hub's own DynamoDB Local, which DynamoDB Local made many times slower than
 * the same writes into a fresh one: README's old ratios were that artefact.)
 */
final class BaselineTable implements AutoCloseable {

    private static final int WARM_UP_WRITES = 200;

    private final DynamoDbLocalServer server;
    private final DynamoDbClient dynamo;
    private final String name;

    private BaselineTable(DynamoDbLocalServer server, DynamoDbClient dynamo, String name) {
        this.server = server;
        this.dynamo = dynamo;
        this.name = name;
    }

    /** A fresh DynamoDB Local and the hub's kind of table in it, warmed by writes of its own (then deleted). */
    static BaselineTable fresh() throws IOException {
        DynamoDbLocalServer server = LocalHub.startDynamoDbLocal(null);
        DynamoDbClient dynamo = client(server);
        String name = "baseline-" + UUID.randomUUID();
        ReferralTableDefinition.ensureExists(dynamo, name);
        for (int i = 0; i < WARM_UP_WRITES; i++) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("WARM#" + i), "sk", AttributeValue.fromS("WARM"));
            dynamo.putItem(r -> r.tableName(name).item(key));
            dynamo.deleteItem(r -> r.tableName(name).key(key));
        }
        return new BaselineTable(server, dynamo, name);
    }

    static DynamoDbClient client(DynamoDbLocalServer server) {
        return DynamoDbClient.builder().endpointOverride(URI.create(server.endpoint())).region(Region.CA_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(DynamoDbLocalServer.SHARED))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    String name() {
        return name;
    }

    /**
     * What makes a table the kind it is, for comparing two: keys, attribute types, indexes (keys and projection),
     * stream, billing; names and counts left out.
     */
    static Map<String, Object> shape(DynamoDbClient dynamo, String table) {
        TableDescription d = dynamo.describeTable(r -> r.tableName(table)).table();
        Map<String, Object> shape = new TreeMap<>();
        shape.put("keys", d.keySchema().toString());
        shape.put("attributes", new TreeMap<>(d.attributeDefinitions().stream().collect(
                Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString()))));
        shape.put("indexes", new TreeMap<>(d.globalSecondaryIndexes().stream().collect(Collectors.toMap(
                i -> i.indexName(), i -> List.of(i.keySchema().toString(), i.projection().toString())))));
        shape.put("stream", String.valueOf(d.streamSpecification()));
        shape.put("billing", d.billingModeSummary() == null ? "?" : d.billingModeSummary().billingModeAsString());
        shape.put("ttl", dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription().attributeName());
        return shape;
    }

    @Override
    public void close() {
        dynamo.close();
        server.close();
    }
}
