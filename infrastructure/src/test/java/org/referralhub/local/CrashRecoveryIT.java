package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.delivery.DirectorySecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The local hub's JVM killed with SIGKILL — no shutdown hook, no flush — in the middle of a large file and again in
 * the middle of a dispatch batch, then started again on the same data directory: every row is stored exactly once
 * (the file's rows carry no agency reference, so only the hub's own receipt-derived ids keep them apart), and every
 * referral reaches the partner, each under one idempotency id. The partner is a receiver in this JVM, so it survives
 * the kills and counts what arrives.
 *
 * <p>Short by default (3,000 rows); {@code mvn verify -Preliability} runs the 50,000-row file
 * ({@code -Dcrash.rows}).
 */
class CrashRecoveryIT {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);
    private static final int ROWS = Integer.getInteger("crash.rows", 3_000);

    @TempDir
    Path data;
    private Process hub;
    private HttpServer partner;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Set<String> referralIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private int httpPort;
    private int dynamoPort;
    private int sftpPort;
    private int smtpPort;
    private int imapPort;

    @BeforeEach
    void ports() throws IOException {
        choosePorts();
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.destroyForcibly();
        }
        if (partner != null) {
            partner.stop(0);
        }
    }

    @Test
    void aHubKilledMidFileAndMidDispatchStoresEveryRowOnceAndDeliversEveryReferralAfterRestart() throws Exception {
        partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        partner.setExecutor(Executors.newFixedThreadPool(4));
        partner.createContext("/humber", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            String id = exchange.getRequestHeaders().getFirst("webhook-id"); // dlv_<referral id>_<partner>
            received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            referralIds.add(id.split("_")[1]);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        partner.start();
        String config = Files.readString(Path.of(HubClient.fastRetryConfiguration(data)))
                .replace("{{hubBaseUrl}}/sandbox/partners/humber/webhook",
                        "http://127.0.0.1:" + partner.getAddress().getPort() + "/humber");
        Path configFile = data.resolve("hub-config-crash.yaml");
        Files.writeString(configFile, config);
        Path hubData = data.resolve("hub");

        hub = startHub(hubData, configFile, "first");
        byte[] file = csv(ROWS);
        try (SftpAgency sftp = SftpAgency.withPassword(hubData, sftpPort, "cics", LocalHub.demoSftpPasswords().get("cics"))) {
            sftp.upload("inbound/big.csv", file);
        }
        try (DynamoDbClient dynamo = dynamo(hubData)) {
            await(Duration.ofMinutes(5), () -> stored(dynamo) >= ROWS / 4);
            int storedAtFirstKill = stored(dynamo);
            hub.destroyForcibly().waitFor();
            int deliveredAtFirstKill = referralIds.size();
            assertThat(storedAtFirstKill).as("killed in the middle of the file").isLessThan(ROWS);
            LOG.info("SIGKILL 1: {} of {} rows stored, {} delivered", storedAtFirstKill, ROWS, deliveredAtFirstKill);

            hub = startHub(hubData, configFile, "second");
            // in the middle of a dispatch batch: deliveries are flowing, not all done
            await(Duration.ofMinutes(5), () -> referralIds.size() > deliveredAtFirstKill + 200);
            int deliveredAtSecondKill = referralIds.size();
            int storedAtSecondKill = stored(dynamo);
            hub.destroyForcibly().waitFor();
            assertThat(deliveredAtSecondKill).as("killed while delivering").isLessThan(ROWS);
            LOG.info("SIGKILL 2: {} rows stored, {} delivered", storedAtSecondKill, deliveredAtSecondKill);

            hub = startHub(hubData, configFile, "third");
            // the dispatcher delivers some 70 referrals a second on this machine: wait in proportion
            await(Duration.ofSeconds(300 + ROWS / 25), () -> referralIds.size() >= ROWS
                    && Files.exists(hubData.resolve("sftp/cics/results/big.csv.results.csv")));
            String results = Files.readString(hubData.resolve("sftp/cics/results/big.csv.results.csv"));
            long accepted = results.lines().filter(l -> l.contains(",accepted,")).count();
            int storedAtEnd = stored(dynamo);
            long repeated = received.values().stream().filter(n -> n.get() > 1).count();
            LOG.info("crash recovery: {} rows sent; stored {} exactly once; results file: {} accepted; delivered {} "
                            + "referrals ({} webhook ids, {} HTTP requests, {} ids sent more than once — each under "
                            + "the same webhook-id, for the partner to drop)", ROWS, storedAtEnd, accepted,
                    referralIds.size(), received.size(), requests.get(), repeated);
            assertThat(storedAtEnd).as("every row stored exactly once").isEqualTo(ROWS);
            assertThat(accepted).as("every row answered accepted").isEqualTo(ROWS);
            assertThat(referralIds).hasSize(ROWS);
            assertThat(received).as("one webhook id per referral").hasSize(ROWS);
            assertThat(Files.exists(hubData.resolve("sftp/cics/inbound/big.csv"))).isFalse();
        }
    }

    private void choosePorts() throws IOException {
        httpPort = LocalHub.freePort();
        dynamoPort = LocalHub.freePort();
        sftpPort = LocalHub.freePort();
        smtpPort = LocalHub.freePort();
        imapPort = LocalHub.freePort();
    }

    /**
     * Starts the hub in a JVM of its own, on this test's ports. Ports were free when chosen but another process may
     * take one before the child binds it: then new ones are chosen and the child started again (twice at most). A
     * child that does not start fails the test with the end of its log.
     */
    private Process startHub(Path hubData, Path configFile, String name) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Path log = data.resolve("hub-" + name + "-" + attempt + ".log");
            Process process = launch(hubData, configFile, log);
            try {
                awaitStarted(process, log);
                return process;
            } catch (AssertionError notStarted) {
                process.destroyForcibly().waitFor();
                String tail = tail(log);
                if (attempt == 3 || !(tail.contains("BindException") || tail.contains("Address already in use"))) {
                    throw new AssertionError(notStarted.getMessage() + "; the end of its log:\n" + tail, notStarted);
                }
                LOG.warn("a port of the hub {} was taken meanwhile; starting it again on other ports", name);
                choosePorts();
            }
        }
    }

    private Process launch(Path hubData, Path configFile, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                LocalHub.class.getName());
        builder.environment().putAll(Map.of(
                "HUB_PORT", Integer.toString(httpPort), "HUB_DYNAMODB_PORT", Integer.toString(dynamoPort),
                "HUB_SFTP_PORT", Integer.toString(sftpPort), "HUB_SMTP_PORT", Integer.toString(smtpPort),
                "HUB_IMAP_PORT", Integer.toString(imapPort), "HUB_DATA_DIR", hubData.toString(),
                "HUB_CONFIG", configFile.toString(), "INTAKE_LEASE_SECONDS", "5",
                "HUB_PULL_MILLIS", "2000", "HUB_SWEEP_MILLIS", "500"));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    private void awaitStarted(Process process, Path log) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String key = LocalHub.demoKeys().get("cics");
        await(Duration.ofMinutes(2), () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                                + "/v1/referrals/01M84355NZJFZWGBWCRN73267R")).header("X-Api-Key", key).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 404;
            } catch (IOException | InterruptedException notYet) {
                if (!process.isAlive()) {
                    throw new AssertionError("the hub did not start (" + log.getFileName() + ")");
                }
                return false;
            }
        });
    }

    /** The last lines of a child's log, for a failure message. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A client of the hub's table, with the credentials its install made at its first start. */
    private DynamoDbClient dynamo(Path hubData) {
        return DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort))
                .region(Region.CA_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        DynamoDbLocalServer.perInstall(new DirectorySecretStore(hubData.resolve("keys")), null)))
                .build();
    }

    /** Referrals of the agency in the table, counted by its index (answers -1 while the hub is down). */
    private static int stored(DynamoDbClient dynamo) {
        try {
            int count = 0;
            for (var page : dynamo.queryPaginator(r -> r.tableName("referrals").indexName("byAgencyDate")
                    .keyConditionExpression("gsi2pk = :a").select(Select.COUNT)
                    .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("AGENCY#cics"))))) {
                count += page.count();
            }
            return count;
        } catch (RuntimeException down) {
            return -1;
        }
    }

    private static byte[] csv(int rows) {
        // no Reference column: nothing but the hub's own receipt-derived ids keeps a row from being stored twice
        StringBuilder out = new StringBuilder("First Name,Last Name,Email,Postal Code,Arrival Date,Profession,NOC,"
                + "Years of Experience,English Level,Consent,Consent Date\r\n");
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < rows; i++) {
            out.append("Amara,Okafor,crash-").append(run).append('-').append(i)
                    .append("@example.org,M9W 1A1,2024-03-15,Civil engineer,21300,8,8,Signed,2026-11-20\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + limit);
            }
            Thread.sleep(200);
        }
    }
}
