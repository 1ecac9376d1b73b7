package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralhub.store.DynamoDbIdempotentRepository;
import org.referralhub.store.IdempotencyRecords;
import org.referralhub.store.ReferralTableDefinition;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The one idempotency mechanism, on DynamoDB Local: in progress, completed, taken over after a holder died, released. */
class IdempotencyRecordsIT {

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration KEEP = Duration.ofDays(1);
    private static DynamoDbLocalServer dynamo;
    private static DynamoDbClient client;
    private IdempotencyRecords records;
    private final Instant t0 = Instant.parse("2026-11-23T12:00:00Z");

    @BeforeAll
    static void start() throws Exception {
        dynamo = DynamoDbLocalServer.start(LocalHub.freePort(), null);
        client = DynamoDbClient.builder().endpointOverride(URI.create(dynamo.endpoint())).region(Region.CA_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        dynamo.close();
    }

    @BeforeEach
    void table() {
        String table = "referrals-" + UUID.randomUUID();
        ReferralTableDefinition.ensureExists(URI.create(dynamo.endpoint()), table);
        records = new IdempotencyRecords(DynamoDbEnhancedClient.builder().dynamoDbClient(client).build(), table);
    }

    @Test
    void aSecondCallerWaitsWhileTheFirstWorksAndGetsTheOriginalResultOnceItIsDone() {
        var first = records.begin("file:cics", "hash-1", "receipt-A", t0, LEASE, KEEP);
        assertThat(first).isEqualTo(new IdempotencyRecords.Started("receipt-A", t0, false));

        var meanwhile = records.begin("file:cics", "hash-1", "receipt-B", t0.plusSeconds(1), LEASE, KEEP);
        assertThat(meanwhile).isInstanceOf(IdempotencyRecords.InProgress.class);
        assertThat(((IdempotencyRecords.InProgress) meanwhile).owner()).isEqualTo("receipt-A");

        records.complete("file:cics", "hash-1", "receipt-A", "{\"accepted\":3}", t0.plusSeconds(2), KEEP);
        var later = records.begin("file:cics", "hash-1", "receipt-C", t0.plusSeconds(60), LEASE, KEEP);
        assertThat(later).isEqualTo(new IdempotencyRecords.Completed("receipt-A", "{\"accepted\":3}"));

        // scopes keep keys apart: the same content from another agency is another input
        assertThat(records.begin("file:costi", "hash-1", "receipt-D", t0, LEASE, KEEP))
                .isInstanceOf(IdempotencyRecords.Started.class);
    }

    @Test
    void aHolderThatDiedIsTakenOverUnderItsOwnReceiptOnceItsLeaseRanOutAndOnlyByOne() {
        records.begin("file:cics", "hash-2", "receipt-A", t0, LEASE, KEEP);
        Instant afterLease = t0.plus(LEASE).plusSeconds(1);

        var takeover = records.begin("file:cics", "hash-2", "receipt-B", afterLease, LEASE, KEEP);
        assertThat(takeover).isEqualTo(new IdempotencyRecords.Started("receipt-A", t0, true));
        assertThat(records.begin("file:cics", "hash-2", "receipt-C", afterLease, LEASE, KEEP))
                .isInstanceOf(IdempotencyRecords.InProgress.class);

        // the new holder renews as it goes; the one that died cannot, even if it comes back
        assertThat(records.extend("file:cics", "hash-2", "receipt-A", t0, afterLease.plusSeconds(5), LEASE, KEEP)).isTrue();
        assertThat(records.extend("file:cics", "hash-2", "receipt-X", t0, afterLease.plusSeconds(5), LEASE, KEEP)).isFalse();
        assertThat(records.begin("file:cics", "hash-2", "receipt-D", afterLease.plus(LEASE), LEASE, KEEP))
                .as("renewed: still in progress past the first lease").isInstanceOf(IdempotencyRecords.InProgress.class);
    }

    @Test
    void aFailedAttemptLetsGoSoTheRetryStartsAfresh() {
        records.begin("status:humber", "key-1", "receipt-A", t0, LEASE, KEEP);
        records.release("status:humber", "key-1", "someone-else");
        assertThat(records.find("status:humber", "key-1")).as("only the holder lets go").isPresent();
        records.release("status:humber", "key-1", "receipt-A");
        assertThat(records.find("status:humber", "key-1")).isEmpty();
        assertThat(records.begin("status:humber", "key-1", "receipt-B", t0.plusSeconds(1), LEASE, KEEP))
                .isEqualTo(new IdempotencyRecords.Started("receipt-B", t0.plusSeconds(1), false));
    }

    @Test
    void ofEightConcurrentCallersExactlyOneStarts() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<IdempotencyRecords.Claim>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String owner = "receipt-" + i;
                calls.add(() -> records.begin("email", "same-message", owner, t0, LEASE, KEEP));
            }
            int started = 0;
            for (Future<IdempotencyRecords.Claim> f : pool.invokeAll(calls)) {
                if (f.get() instanceof IdempotencyRecords.Started) {
                    started++;
                } else {
                    assertThat(f.get()).isInstanceOf(IdempotencyRecords.InProgress.class);
                }
            }
            assertThat(started).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void asACamelIdempotentRepositoryAKeyIsTakenOnceAndGivenBackOnFailure() throws Exception {
        var clock = Clock.fixed(t0, ZoneOffset.UTC);
        try (var first = new DynamoDbIdempotentRepository(records, "pull:cics", LEASE, KEEP, clock);
             var second = new DynamoDbIdempotentRepository(records, "pull:cics", LEASE, KEEP, clock)) {
            assertThat(first.add("a.csv-120-1700000000")).isTrue();
            assertThat(second.add("a.csv-120-1700000000")).as("another poller, meanwhile").isFalse();
            first.remove("a.csv-120-1700000000");
            assertThat(second.add("a.csv-120-1700000000")).as("given back after a failure").isTrue();
            second.confirm("a.csv-120-1700000000");
            assertThat(first.contains("a.csv-120-1700000000")).isTrue();
            assertThat(first.add("a.csv-120-1700000000")).as("done: never again").isFalse();
        }
    }
}
