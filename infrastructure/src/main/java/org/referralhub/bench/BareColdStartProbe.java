package org.referralhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cold-start baseline: a fresh JVM running a bare handler — the same event, its body parsed with Jackson, one
 * PutItem with the same SDK client the hub uses — and nothing else. Prints one {@code RESULT} line and exits.
 */
public final class BareColdStartProbe {

    private BareColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        String token = args[0];
        var event = ColdStartEvent.of(ColdStartEvent.body(token), args[1], token);
        long initStart = System.nanoTime();
        ObjectMapper json = new ObjectMapper();
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL"))).region(Region.CA_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        long initEnd = System.nanoTime();
        JsonNode referral = json.readTree(event.getBody());
        String id = referral.path("event_id").asText();
        String document = json.writeValueAsString(referral);
        dynamo.putItem(r -> r.tableName(System.getenv("REFERRALS_TABLE")).item(Map.of(
                "pk", AttributeValue.fromS("BARE#" + id), "sk", AttributeValue.fromS("BARE"),
                "document", AttributeValue.fromS(document))));
        long handled = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", 202);
        result.put("jvmStartToMainMs", HubColdStartProbe.jvmStartToMain(entered));
        result.put("initMs", (initEnd - initStart) / 1_000_000);
        result.put("firstRequestMs", (handled - initEnd) / 1_000_000);
        System.out.println("RESULT " + json.writeValueAsString(result));
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
