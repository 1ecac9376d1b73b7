package org.referralhub.store;

import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The referrals table as the local hub and the integration tests create it; template.yaml declares the same
 * keys, indexes, stream and TTL for AWS (a test keeps the two in step).
 */
public final class ReferralTableDefinition {

    public static final List<String> INDEXES = List.of(ReferralItem.BY_PARTNER_STATUS, ReferralItem.BY_AGENCY_DATE,
            ReferralItem.DISPATCH_DUE);

    private ReferralTableDefinition() {
    }

    /** Creates the table if it does not exist yet and waits until it is active. */
    public static void ensureExists(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.describeTable(r -> r.tableName(tableName));
            return;
        } catch (ResourceNotFoundException absent) {
            // create it below
        }
        try {
            dynamo.createTable(request(tableName));
        } catch (ResourceInUseException raced) {
            // another process created it meanwhile
        }
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(tableName));
        dynamo.updateTimeToLive(r -> r.tableName(tableName)
                .timeToLiveSpecification(t -> t.enabled(true).attributeName(ReferralItem.TTL_ATTRIBUTE)));
    }

    /** The same, against a local endpoint (DynamoDB Local), before any hub runs on the table. */
    public static void ensureExists(URI localEndpoint, String tableName) {
        ensureExists(localEndpoint, StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                tableName);
    }

    /** As above, signed with {@code credentials} (DynamoDB Local keeps a database per access key id). */
    public static void ensureExists(URI localEndpoint, AwsCredentialsProvider credentials, String tableName) {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(localEndpoint)
                .region(Region.CA_CENTRAL_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            ensureExists(dynamo, tableName);
        }
    }

    static CreateTableRequest request(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        string(ReferralItem.PK), string(ReferralItem.SK),
                        string("gsi1pk"), string("gsi1sk"), string("gsi2pk"), string("gsi2sk"),
                        string("duePk"), string("dueSk"))
                .keySchema(hash(ReferralItem.PK), range(ReferralItem.SK))
                .globalSecondaryIndexes(
                        index(ReferralItem.BY_PARTNER_STATUS, "gsi1pk", "gsi1sk"),
                        index(ReferralItem.BY_AGENCY_DATE, "gsi2pk", "gsi2sk"),
                        GlobalSecondaryIndex.builder().indexName(ReferralItem.DISPATCH_DUE)
                                .keySchema(hash("duePk"), range("dueSk"))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes("partnerId").build()).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String pk, String sk) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(pk), range(sk))
                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }
}
