package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Client;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralSource;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.RoutingDecision;
import org.referralhub.store.ReferralStore;
import org.referralhub.store.ReferralTableDefinition;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Two processes on one table — two dispatchers, or the intake and a dispatcher — each keeping its own last writes:
 * a change that follows its own write skips the read, and a change someone else made meanwhile is never lost.
 */
class ReferralStoreIT {

    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(40);
    private static DynamoDbLocalServer dynamo;
    private final AtomicInteger reads = new AtomicInteger();
    /** The first process's requests to the table, by kind (GetItem, TransactWriteItems…). */
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private ReferralStore first;
    private ReferralStore second;

    @BeforeAll
    static void start() throws Exception {
        dynamo = DynamoDbLocalServer.start(LocalHub.freePort(), null);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @BeforeEach
    void table() {
        String table = "referrals-" + UUID.randomUUID();
        ReferralTableDefinition.ensureExists(URI.create(dynamo.endpoint()), table);
        first = new ReferralStore(enhanced(true), table);
        second = new ReferralStore(enhanced(false), table);
    }

    /** A client of its own; the first process's counts its reads of items. */
    private DynamoDbEnhancedClient enhanced(boolean counted) {
        var builder = DynamoDbClient.builder().endpointOverride(URI.create(dynamo.endpoint())).region(Region.CA_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        if (counted) {
            builder.overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof GetItemRequest) {
                        reads.incrementAndGet();
                    }
                    requests.computeIfAbsent(context.request().getClass().getSimpleName().replace("Request", ""),
                            k -> new AtomicInteger()).incrementAndGet();
                }
            }));
        }
        return DynamoDbEnhancedClient.builder().dynamoDbClient(builder.build()).build();
    }

    private static Referral pending() {
        Client client = new Client("A", "B", null, "a@example.org", null, "en", List.of(), null, "M2N6K1", null, null,
                null, null, null, null, null);
        String id = ReferralIds.newId(NOW);
        return new Referral(Referral.SCHEMA_VERSION, id, "p", new ReferralSource("cics", Channel.WEBHOOK,
                "REF-" + UUID.randomUUID(), NOW, "x"), client, null, null, new RoutingDecision("humber", "rule", NOW, null),
                null, null, null, List.of(), Delivery.pending("dlv_" + id, NOW), List.of())
                .movedTo(ReferralStatus.REQUESTED, null, null, NOW, "agency:cics");
    }

    private static DeliveryAttempt failedAttempt() {
        return new DeliveryAttempt(1, NOW, Channel.WEBHOOK, "humber",
                DeliveryAttempt.Outcome.FAILED, 503, 5, null);
    }

    @Test
    void theHealthCheckReadsOneItemRatherThanDescribingTheTable() {
        int before = reads.get();
        first.checkAvailable();
        assertThat(reads.get()).as("one GetItem, which costs the same whatever the table holds").isEqualTo(before + 1);
    }

    @Test
    void aClaimAfterItsOwnWriteSkipsTheReadAndAChangeMadeElsewhereIsKept() {
        Referral referral = pending();
        first.insert(referral, NOW);
        assertThat(first.claimDelivery(referral.referralId(), NOW, LEASE)).isPresent();
        assertThat(reads).as("reads for a claim after the process's own write").hasValue(0);

        // another process writes meanwhile: the partner's business status, say
        second.modify(referral.referralId(), r -> r.movedTo(r.status(), "contacted", null, NOW, "partner:humber"));
        first.modify(referral.referralId(), r -> r.withDelivery(r.delivery().retryAt(NOW.plusSeconds(5), failedAttempt())));
        Referral stored = second.find(referral.referralId()).orElseThrow();
        assertThat(stored.businessStatus()).as("the other process's change").isEqualTo("contacted");
        assertThat(stored.delivery().nextAttemptAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(reads).as("one read, after the refused write").hasValue(1);
    }

    @Test
    void aNothingToDoDecidedOnItsOwnCopyIsCheckedAgainstTheTable() {
        Referral referral = pending();
        first.insert(referral, NOW);
        assertThat(first.claimDelivery(referral.referralId(), NOW, LEASE)).isPresent();
        // the other dispatcher's lease ran out, it took the delivery over and released it for a retry now
        Instant later = NOW.plus(LEASE).plusSeconds(1);
        assertThat(second.claimDelivery(referral.referralId(), later, LEASE)).isPresent();
        second.modify(referral.referralId(), r -> r.withDelivery(r.delivery().retryAt(later, failedAttempt())));
        // by its own copy the first still holds a lease; the table says the delivery is due
        assertThat(first.claimDelivery(referral.referralId(), later.plusSeconds(1), LEASE)).isPresent();
    }

    private List<String> stored(int count, ReferralStore by) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Referral referral = pending();
            by.insert(referral, NOW);
            ids.add(referral.referralId());
        }
        return ids;
    }

    private int requests(String kind) {
        return requests.getOrDefault(kind, new AtomicInteger()).get();
    }

    @Test
    void theDeliveriesOfManyReferralsAreClaimedInOneReadAndOneConditionalWrite() {
        List<String> ids = stored(60, second);
        requests.clear();

        List<Referral> claimed = first.claimDeliveries(ids, NOW, LEASE);

        assertThat(claimed).extracting(Referral::referralId).as("all of them, in the order asked")
                .containsExactlyElementsOf(ids);
        assertThat(claimed).allSatisfy(r -> assertThat(r.delivery().leaseUntil()).isEqualTo(NOW.plus(LEASE)));
        assertThat(requests).as("one batch read, one transaction; nothing one by one").containsOnlyKeys(
                "BatchGetItem", "TransactWriteItems");
        assertThat(requests("BatchGetItem")).isEqualTo(1);
        assertThat(requests("TransactWriteItems")).isEqualTo(1);
        assertThat(second.claimDeliveries(ids, NOW.plusSeconds(1), LEASE)).as("held by the first").isEmpty();
    }

    @Test
    void aSingleClaimIsOneConditionalWriteNotATransaction() {
        List<String> ids = stored(1, second);
        requests.clear();

        assertThat(first.claimDeliveries(ids, NOW, LEASE)).hasSize(1);
        assertThat(requests).as("a transaction costs twice a write").containsOnlyKeys("BatchGetItem", "PutItem");
        assertThat(second.claimDeliveries(ids, NOW.plusSeconds(1), LEASE)).as("held by the first").isEmpty();
    }

    @Test
    void twoDispatchersClaimingOverlappingBatchesAtOnceNeverBothHoldOne() throws Exception {
        var pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                List<String> ids = stored(40, second);
                CyclicBarrier together = new CyclicBarrier(2);
                Future<List<Referral>> a = pool.submit(() -> {
                    together.await();
                    return first.claimDeliveries(ids.subList(0, 30), NOW, LEASE);
                });
                Future<List<Referral>> b = pool.submit(() -> {
                    together.await();
                    return second.claimDeliveries(ids.subList(10, 40), NOW, LEASE);
                });
                Set<String> byFirst = a.get().stream().map(Referral::referralId).collect(Collectors.toSet());
                Set<String> bySecond = b.get().stream().map(Referral::referralId).collect(Collectors.toSet());
                assertThat(byFirst).as("round %d: held by both", round).doesNotContainAnyElementsOf(bySecond);
                Set<String> all = new HashSet<>(byFirst);
                all.addAll(bySecond);
                assertThat(all).as("round %d: every due delivery claimed by one of them", round)
                        .containsExactlyInAnyOrderElementsOf(ids);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchOfChangesKeepsWhatAnotherProcessWroteMeanwhileAndWritesTheRestTogether() {
        List<String> ids = stored(10, second);
        first.claimDeliveries(ids, NOW, LEASE);
        // the partner reports on one of them while it is being delivered
        second.modify(ids.get(3), r -> r.movedTo(r.status(), "contacted", null, NOW, "partner:humber"));
        requests.clear();

        Map<String, Referral> changed = first.updateAll(ids.stream().map(id -> ReferralStore.Change.of(id,
                r -> r.withDelivery(r.delivery().retryAt(NOW.plusSeconds(5), failedAttempt())))).toList());

        assertThat(changed).as("every one changed").containsOnlyKeys(ids);
        for (String id : ids) {
            Referral stored = second.find(id).orElseThrow();
            assertThat(stored.delivery().nextAttemptAt()).isEqualTo(NOW.plusSeconds(5));
        }
        assertThat(second.find(ids.get(3)).orElseThrow().businessStatus()).as("the other process's change")
                .isEqualTo("contacted");
        assertThat(requests("TransactWriteItems")).as("the nine, after the one refused the first time").isEqualTo(2);
        assertThat(requests("GetItem")).as("the one changed elsewhere, read again").isEqualTo(1);
    }
}
