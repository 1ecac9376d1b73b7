package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.store.ReferralTableDefinition;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local hub's servers are not the network's: each listens on loopback only — DynamoDB Local first, which by
 * itself listens on every interface — and the table answers only the credentials its install made, so the well-known
 * {@code local} key finds nothing. An install made before those credentials keeps its table.
 */
class LocalServersIT {

    @TempDir
    Path data;

    @Test
    void everyServerListensOnLoopbackOnly() throws Exception {
        InetAddress outside = nonLoopbackAddress();
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            Map<String, Integer> ports = Map.of("HTTP", URI.create(hub.baseUrl()).getPort(),
                    "DynamoDB Local", hub.dynamoDbLocal().port(), "SFTP", hub.sftpPort(), "SMTP", hub.smtpPort(),
                    "IMAP", hub.imapPort());
            ports.forEach((server, port) -> {
                assertThat(reachable(InetAddress.getLoopbackAddress(), port)).as(server + " on loopback").isTrue();
                assertThat(reachable(outside, port)).as(server + " on " + outside.getHostAddress()).isFalse();
            });
        }
    }

    @Test
    void theGatewaysOwnAnswersAreProblemsAndASandboxReceiversDeliveriesAreAnAdministratorsOnly() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl()
                    + "/sandbox/partners/humber/deliveries")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(open.statusCode()).as("what a partner received, without a token").isEqualTo(401);
            assertThat(open.headers().firstValue("content-type")).contains("application/problem+json");
            HttpResponse<String> switchOff = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl()
                    + "/sandbox/partners/humber/failures")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(switchOff.statusCode()).as("the failure switch, without a token").isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/sandbox/partners/humber/deliveries"))
                    .header("Authorization", "Bearer " + LocalHub.demoAdminToken()).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v2/nothing"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("content-type")).contains("application/problem+json");
            assertThat(CanonicalJson.MAPPER.readTree(unknown.body()).path("detail").asText()).contains("/v2/nothing");

            HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/referrals"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[11 * 1024 * 1024])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.headers().firstValue("content-type")).contains("application/problem+json");

            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/health"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).as("a monitor's HEAD /health").isEqualTo(200);
        }
    }

    @Test
    void theDataDirectoryOfAFirstStartIsMadeItsOwnersOnly() throws Exception {
        Path home = data.resolve("first-start");   // not there yet, as on a fresh clone
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(home)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
            for (String folder : List.of("dynamodb", "keys", "sftp")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(folder))))
                        .as(folder).isEqualTo("rwx------");
            }
            try (var files = Files.list(home.resolve("dynamodb"))) {
                assertThat(files.toList()).isNotEmpty().allSatisfy(file -> assertThat(
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
            }
        }
    }

    @Test
    void theTableAnswersOnlyItsInstallsCredentialsAndAnOlderInstallKeepsItsTable() throws Exception {
        String table = "referrals-" + UUID.randomUUID();
        // an install made before per-install credentials: its table under the shared key
        try (DynamoDbLocalServer before = DynamoDbLocalServer.start(LocalHub.freePort(), data.resolve("dynamodb"))) {
            ReferralTableDefinition.ensureExists(URI.create(before.endpoint()), table);
            try (DynamoDbClient dynamo = client(before.endpoint(), DynamoDbLocalServer.SHARED)) {
                dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("MARK"),
                        "sk", AttributeValue.fromS("MARK"))));
            }
        }
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName(table))) {
            DynamoDbLocalServer local = hub.dynamoDbLocal();
            assertThat(local.credentials().accessKeyId()).isNotEqualTo(DynamoDbLocalServer.SHARED.accessKeyId());
            try (DynamoDbClient own = client(local.endpoint(), local.credentials());
                 DynamoDbClient shared = client(local.endpoint(), DynamoDbLocalServer.SHARED)) {
                assertThat(own.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("MARK"),
                        "sk", AttributeValue.fromS("MARK")))).hasItem()).as("the older install's data, kept").isTrue();
                assertThat(shared.listTables().tableNames()).as("the well-known key finds nothing").isEmpty();
            }
        }
    }

    private static DynamoDbClient client(String endpoint, AwsBasicCredentials credentials) {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.CA_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** An address of this machine that is not loopback: where someone on the network would connect. */
    private static InetAddress nonLoopbackAddress() throws IOException {
        List<InetAddress> found = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
        Assumptions.assumeFalse(found.isEmpty(), "this machine has no network address besides loopback");
        return found.get(0);
    }
}
