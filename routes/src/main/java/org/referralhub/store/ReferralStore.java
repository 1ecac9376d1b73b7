package org.referralhub.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.referralhub.outcome.Notice;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Client;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.NearMatch;
import org.referralhub.referral.Referral;
import org.referralhub.referral.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Referrals in DynamoDB. A new referral is written in one transaction with the claims on its agency reference and
 * Idempotency-Key, so a duplicate can never become a second referral, and nothing is half-written. Changes are
 * optimistic: read, change, write if the version is still the one read.
 */
public final class ReferralStore {

    private static final Logger LOG = LoggerFactory.getLogger(ReferralStore.class);
    private static final String REFERRAL_PREFIX = "REFERRAL#";
    private static final String REFERRAL_SK = "REFERRAL";
    private static final String CLAIM_SK = "CLAIM";
    private static final String DISPATCH_PARTITION = "DISPATCH";
    private static final Duration IDEMPOTENCY_KEY_LIFETIME = Duration.ofDays(7);
    private static final int MAX_CONFLICT_RETRIES = 10;
    private static final int MAX_TX_ACTIONS = 100;
    /** Below DynamoDB's 4 MB a transaction, with room for keys and attributes besides the documents. */
    private static final long MAX_TX_BYTES = 3_000_000;
    private static final Expression ITEM_ABSENT = Expression.builder()
            .expression("attribute_not_exists(#pk)").putExpressionName("#pk", ReferralItem.PK).build();

    private static final DateTimeFormatter SORTABLE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<ReferralItem> table;
    private final RecentWrites recent = new RecentWrites(4096);

    private volatile Settlement settlement = (referrals, stored) -> { };
    private volatile Function<Referral, Instant> retainUntil = referral -> null;
    private volatile Predicate<String> holdsNearMatches = program -> false;

    /** The table this store writes to. */
    public String tableName() {
        return table.tableName();
    }

    public ReferralStore(DynamoDbEnhancedClient enhanced, String tableName) {
        this.enhanced = enhanced;
        this.table = enhanced.table(tableName, ReferralItem.SCHEMA);
    }

    /** Told of every new referral once it is stored, or found to be a duplicate (partners' load counts them). */
    @FunctionalInterface
    public interface Settlement {
        void settled(List<Referral> referrals, Predicate<Referral> stored);
    }

    public void onSettled(Settlement settlement) {
        this.settlement = settlement;
    }

    /** Until when a closed referral is kept (its item's TTL); null: for good. */
    public void retainClosedReferralsUntil(Function<Referral, Instant> retainUntil) {
        this.retainUntil = retainUntil;
    }

    /**
     * Which programs hold a near match for its agency to confirm ({@link NearMatch}): for those, a referral without
     * an agency reference also claims its client's name, and one whose name is claimed by an open referral, while no
     * contact is, is stored held.
     */
    public void holdNearMatchesIn(Predicate<String> programs) {
        this.holdsNearMatches = programs;
    }

    /** The result of storing a new referral: the referral that holds the claim, and whether it was already there. */
    public record Stored(Referral referral, boolean duplicate) {
    }

    /**
     * Stores a new referral unless its agency reference was claimed before; then answers the referral that claimed
     * it.
     */
    public Stored insert(Referral referral, Instant now) {
        return insert(referral, null, now);
    }

    /**
     * The sender's Idempotency-Key and a fingerprint of the request it came with (a digest of the body as sent): the
     * key answers the first referral only for the same request.
     */
    public record RequestKey(String key, String fingerprint) {
    }

    /** The sender's Idempotency-Key was used before for another request (another body): nothing is stored. */
    public static final class IdempotencyKeyReused extends RuntimeException {
        public IdempotencyKeyReused() {
            super("the Idempotency-Key was used for another request", null, false, false);
        }
    }

    /**
     * Stores a new referral unless its agency reference or the sender's Idempotency-Key was claimed before; then
     * answers the referral that claimed it. The key's first request is remembered by its fingerprint.
     *
     * @throws IdempotencyKeyReused when the key came with another request before
     */
    public Stored insert(Referral referral, RequestKey key, Instant now) {
        Stored stored = insertOne(referral, key, now);
        settlement.settled(List.of(referral), r -> routedAndStored(stored));
        return stored;
    }

    /** Stored as new, and routed: what counts against a partner's load (not a near match held unrouted). */
    private static boolean routedAndStored(Stored stored) {
        return !stored.duplicate() && stored.referral().routing() != null;
    }

    /** A referral on its way into the table: as it will be stored, and the claims it does without. */
    private static final class Insertion {
        Referral referral;
        final Set<String> passedOver = new HashSet<>();

        Insertion(Referral referral) {
            this.referral = referral;
        }
    }

    private Stored insertOne(Referral referral, RequestKey key, Instant now) {
        Insertion insertion = new Insertion(referral);
        for (int attempt = 0; ; attempt++) {
            Optional<Stored> stored = tryInsert(insertion, key, now);
            if (stored.isPresent()) {
                return stored.get();
            }
            if (attempt >= MAX_CONFLICT_RETRIES) {
                throw new IllegalStateException("referral " + referral.referralId() + " could not settle its claims");
            }
        }
    }

    /**
     * One try: the referral and its claims in one transaction. Answers the stored (or original) referral, or empty to
     * try again — a client claim was stale (its referral closed or gone: now this one's) or another person's (the
     * same name and contact, another birth date: left out), or the client's name is an open referral's (a near
     * match: the referral is held, without the name claim).
     */
    private Optional<Stored> tryInsert(Insertion insertion, RequestKey key, Instant now) {
        Referral referral = insertion.referral;
        Set<String> passedOver = insertion.passedOver;
        List<ReferralItem> claims = new ArrayList<>(claims(referral, key, now));
        claims.removeIf(c -> passedOver.contains(c.getPk()));
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class)
                        .item(toItem(referral, 1L)).conditionExpression(ITEM_ABSENT).build());
        for (ReferralItem claim : claims) {
            tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class)
                    .item(claim).conditionExpression(ITEM_ABSENT).build());
        }
        try {
            enhanced.transactWriteItems(tx.build());
            recent.wrote(referral, 1L);
            return Optional.of(new Stored(referral, false));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                // the same referral id again: a row of a file or message resumed or replayed under its own receipt
                Optional<Referral> itself = find(referral.referralId());
                if (itself.isPresent()) {
                    return Optional.of(new Stored(itself.get(), true));
                }
            }
            for (int i = 0; i < claims.size(); i++) {
                CancellationReason reason = reasons.size() > i + 1 ? reasons.get(i + 1) : null;
                if (reason != null && "ConditionalCheckFailed".equals(reason.code())) {
                    ReferralItem mine = claims.get(i);
                    Key claimKey = key(mine.getPk(), CLAIM_SK);
                    ReferralItem existing = table.getItem(r -> r.key(claimKey).consistentRead(true));
                    if (existing != null && "idempotency".equals(existing.getKind()) && key.fingerprint() != null
                            && existing.getDocument() != null && !existing.getDocument().equals(key.fingerprint())) {
                        LOG.info("an Idempotency-Key of agency {} came again with another request", referral.agencyId());
                        throw new IdempotencyKeyReused();
                    }
                    if (existing == null) {
                        return Optional.empty();
                    }
                    Optional<Referral> original = find(existing.getReferralId());
                    if (mine.getPk().startsWith(NAME_PREFIX)) {
                        nearMatch(insertion, mine, existing, original, now);
                        return Optional.empty();
                    }
                    if (mine.getPk().startsWith(CLIENT_PREFIX)) {
                        if (existing.getDocument() != null && mine.getDocument() != null
                                && !existing.getDocument().equals(mine.getDocument())) {
                            passedOver.add(mine.getPk());   // the same name and contact, another birth date
                            return Optional.empty();
                        }
                        if (original.isEmpty() || original.get().status().isFinal()) {
                            takeOver(existing, mine);        // the client's earlier referral is closed, or gone
                            return Optional.empty();
                        }
                        LOG.info("referral {} repeats client of open referral {}", referral.referralId(),
                                existing.getReferralId());
                    }
                    if (original.isPresent()) {
                        LOG.info("referral {} is a duplicate of {}", referral.referralId(), existing.getReferralId());
                        return Optional.of(new Stored(original.get(), true));
                    }
                }
            }
            throw e;
        }
    }

    /**
     * The client's name is claimed: by a closed (or gone) referral, the claim passes to this one; by another person
     * (another birth date), this one does without it; by an open referral, whose contacts were not this one's (a
     * contact claim would have answered first), this one is a near match — held for its agency, if it was to be sent.
     */
    private void nearMatch(Insertion insertion, ReferralItem mine, ReferralItem existing, Optional<Referral> original,
                           Instant now) {
        if (original.isEmpty() || original.get().status().isFinal()) {
            takeOver(existing, mine);
            return;
        }
        insertion.passedOver.add(mine.getPk());
        if (existing.getDocument() != null && mine.getDocument() != null
                && !existing.getDocument().equals(mine.getDocument())) {
            return;   // a namesake: another birth date
        }
        Referral referral = insertion.referral;
        if (referral.delivery() != null && referral.delivery().state() == Delivery.State.PENDING) {
            LOG.info("referral {} near-matches open referral {}: held for its agency", referral.referralId(),
                    existing.getReferralId());
            insertion.referral = NearMatch.held(referral, existing.getReferralId(), now);
        }
    }

    /** A client claim whose referral closed (or is gone) passes to a new referral of the client: if still that one's. */
    private void takeOver(ReferralItem stale, ReferralItem mine) {
        try {
            table.putItem(PutItemEnhancedRequest.builder(ReferralItem.class).item(mine)
                    .conditionExpression(Expression.builder().expression("referralId = :old")
                            .putExpressionValue(":old", AttributeValue.fromS(stale.getReferralId())).build()).build());
        } catch (ConditionalCheckFailedException raced) {
            LOG.debug("a client claim changed hands meanwhile; trying again");
        }
    }

    /**
     * Answers normally when the table can be reached and read; throws otherwise (health checks). One read of an item
     * that is never there — as cheap as a call to the table gets; DescribeTable, which this was, grows slow with the
     * table on DynamoDB Local (15 ms empty, 400 ms at 22,000 referrals) and needs a permission nothing else does.
     */
    public void checkAvailable() {
        table.getItem(r -> r.key(key(HEALTH, HEALTH)));
    }

    private static final String HEALTH = "HEALTH";

    /**
     * Stores many new referrals in few round trips: transactions of up to {@value #MAX_TX_ACTIONS} writes (each
     * referral with its claims). A transaction refused because a claim exists, or because two rows of the batch
     * claim the same reference, is redone referral by referral, so each row gets its own answer.
     */
    public List<Stored> insertAll(List<Referral> referrals, Instant now) {
        List<Stored> out = new ArrayList<>(referrals.size());
        List<Referral> chunk = new ArrayList<>();
        int actions = 0;
        for (Referral referral : referrals) {
            int needed = 1 + claims(referral, null, now).size();
            if (actions + needed > MAX_TX_ACTIONS) {
                out.addAll(insertChunk(chunk, now));
                chunk.clear();
                actions = 0;
            }
            chunk.add(referral);
            actions += needed;
        }
        out.addAll(insertChunk(chunk, now));
        Set<String> stored = new HashSet<>();
        out.stream().filter(ReferralStore::routedAndStored).forEach(s -> stored.add(s.referral().referralId()));
        settlement.settled(referrals, r -> stored.contains(r.referralId()));
        return out;
    }

    private List<Stored> insertChunk(List<Referral> chunk, Instant now) {
        if (chunk.isEmpty()) {
            return List.of();
        }
        if (chunk.size() > 1) {
            TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder();
            for (Referral referral : chunk) {
                tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class)
                        .item(toItem(referral, 1L)).conditionExpression(ITEM_ABSENT).build());
                for (ReferralItem claim : claims(referral, null, now)) {
                    tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class)
                            .item(claim).conditionExpression(ITEM_ABSENT).build());
                }
            }
            try {
                enhanced.transactWriteItems(tx.build());
                chunk.forEach(r -> recent.wrote(r, 1L));
                return chunk.stream().map(r -> new Stored(r, false)).toList();
            } catch (DynamoDbException e) {
                // cancelled on a claim, or refused for two writes to one item: both are answered row by row
                if (!(e instanceof TransactionCanceledException) && e.statusCode() >= 500) {
                    throw e;
                }
                LOG.debug("batch of {} referrals holds a duplicate; storing one by one", chunk.size());
            }
        }
        return chunk.stream().map(r -> insertOne(r, null, now)).toList();
    }

    /**
     * Erases a referral: its item and its agency-reference claim go, in one transaction with an erasure record that
     * holds no personal data (ids, program, status, when, who, why, what was removed, which partners were asked to
     * erase their copy). Answers the record.
     */
    public Map<String, Object> erase(Referral referral, String by, String reason, List<String> removed,
                                     List<String> partnersTold, Instant now) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("referralId", referral.referralId());
        record.put("agencyId", referral.agencyId());
        record.put("partnerId", referral.partnerId());
        record.put("program", referral.program());
        record.put("statusAtErasure", referral.status() == null ? null : referral.status().code());
        record.put("receivedAt", referral.source().receivedAt().toString());
        record.put("erasedAt", now.toString());
        record.put("erasedBy", by);
        record.put("reason", reason);
        record.put("removed", removed);
        record.put("partners", partnersTold);
        ReferralItem erasure = new ReferralItem();
        erasure.setPk("ERASURE#" + referral.referralId());
        erasure.setSk("ERASURE");
        erasure.setKind("erasure");
        erasure.setReferralId(referral.referralId());
        erasure.setAgencyId(referral.agencyId());
        erasure.setReceivedAt(sortable(now));
        erasure.setDocument(CanonicalJson.write(record));
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addDeleteItem(table, key(REFERRAL_PREFIX + referral.referralId(), REFERRAL_SK))
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class).item(erasure)
                        .conditionExpression(ITEM_ABSENT).build());
        String reference = referral.source().agencyReference();
        if (reference != null && !reference.isBlank()) {
            tx.addDeleteItem(table, key("AGENCYREF#" + referral.agencyId() + "#" + Sha256.hex(reference), CLAIM_SK));
        }
        recent.forget(referral.referralId());
        enhanced.transactWriteItems(tx.build());
        List<String> clientKeys = new ArrayList<>(clientClaims(referral));
        nameClaim(referral).ifPresent(clientKeys::add);
        for (String pk : clientKeys) {
            try {
                table.deleteItem(DeleteItemEnhancedRequest.builder().key(key(pk, CLAIM_SK))
                        .conditionExpression(Expression.builder().expression("referralId = :id")
                                .putExpressionValue(":id", AttributeValue.fromS(referral.referralId())).build()).build());
            } catch (ConditionalCheckFailedException notItsOwn) {
                // the claim was another referral's (or none): nothing of this client's to erase there
            }
        }
        return record;
    }

    /** The erasure record of a referral that was erased, or empty. */
    public Optional<Map<String, Object>> erasure(String referralId) {
        ReferralItem item = table.getItem(r -> r.key(key("ERASURE#" + referralId, "ERASURE")).consistentRead(true));
        return Optional.ofNullable(item).map(i -> readMap(i.getDocument()));
    }

    /** Stored referrals by id (those that exist), read 100 at a time. */
    public Map<String, Referral> findAll(Collection<String> referralIds) {
        Map<String, Referral> out = new HashMap<>();
        documents(referralIds.stream().map(id -> REFERRAL_PREFIX + id).toList())
                .values().forEach(r -> out.put(r.referralId(), r));
        return out;
    }

    /**
     * Keeps an input the hub would not process (unknown sender, unreadable, suspected spam): archived, not processed,
     * listed for administrators. {@code reason} is a short code, {@code detail} words without personal data.
     */
    public void quarantine(String receiptId, String channel, String agencyId, String reason, String detail,
                           String rawPayloadRef, Instant now) {
        quarantine(receiptId, channel, agencyId, reason, detail, rawPayloadRef, now, Map.of());
    }

    /** As above, with more facts for the record ({@code fileName} of a file whose rows were rejected, say). */
    public void quarantine(String receiptId, String channel, String agencyId, String reason, String detail,
                           String rawPayloadRef, Instant now, Map<String, String> more) {
        ReferralItem item = new ReferralItem();
        item.setPk("QUARANTINE#" + receiptId);
        item.setSk("QUARANTINE");
        item.setKind("quarantine");
        item.setReferralId(receiptId);
        item.setAgencyId(agencyId);
        item.setStatus(reason);
        item.setReceivedAt(sortable(now));
        Map<String, Object> record = new LinkedHashMap<>(Map.of("receiptId", receiptId, "channel", channel,
                "reason", reason, "detail", detail, "rawPayloadRef", rawPayloadRef == null ? "" : rawPayloadRef,
                "at", now.toString()));
        if (agencyId != null) {
            record.put("agencyId", agencyId);
        }
        record.putAll(more);
        item.setDocument(CanonicalJson.write(record));
        // listed for administrators (sparse dispatchDue index, partition QUARANTINE) until replayed
        item.setDuePk(QUARANTINE_PARTITION);
        item.setDueSk(sortable(now) + "#" + receiptId);
        table.putItem(item);
    }

    private static final String QUARANTINE_PARTITION = "QUARANTINE";

    /** Quarantined inputs not replayed yet, oldest first (each as {@link #quarantine} recorded it). */
    public List<Map<String, Object>> quarantinedInputs(int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var page : table.index(ReferralItem.DISPATCH_DUE).query(r -> r.queryConditional(
                QueryConditional.keyEqualTo(Key.builder().partitionValue(QUARANTINE_PARTITION).build())))) {
            for (ReferralItem key : page.items()) {
                quarantined(key.getPk().substring("QUARANTINE#".length())).ifPresent(doc -> out.add(readMap(doc)));
                if (out.size() >= limit) {
                    return out;
                }
            }
        }
        return out;
    }

    /**
     * Takes a quarantined input off the list to replay it: answers its record only to the one caller that took it,
     * so a replay runs at most once.
     */
    public Optional<Map<String, Object>> takeForReplay(String receiptId, Instant now) {
        ReferralItem item = table.getItem(r -> r.key(key("QUARANTINE#" + receiptId, "QUARANTINE")).consistentRead(true));
        if (item == null || item.getDuePk() == null) {
            return Optional.empty();
        }
        item.setDuePk(null);
        item.setDueSk(null);
        item.setDeliveryState("replayed " + sortable(now));
        try {
            table.putItem(PutItemEnhancedRequest.builder(ReferralItem.class).item(item)
                    .conditionExpression(Expression.builder().expression("attribute_exists(duePk)").build()).build());
            return Optional.of(readMap(item.getDocument()));
        } catch (ConditionalCheckFailedException taken) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMap(String json) {
        return CanonicalJson.read(json, Map.class);
    }

    /** A quarantined input, as {@link #quarantine} recorded it (JSON), or empty. */
    public Optional<String> quarantined(String receiptId) {
        ReferralItem item = table.getItem(r -> r.key(key("QUARANTINE#" + receiptId, "QUARANTINE")).consistentRead(true));
        return Optional.ofNullable(item).map(ReferralItem::getDocument);
    }

    public Optional<Referral> find(String referralId) {
        ReferralItem item = table.getItem(r -> r.key(key(REFERRAL_PREFIX + referralId, REFERRAL_SK)).consistentRead(true));
        return Optional.ofNullable(item).map(i -> CanonicalJson.readReferral(i.getDocument()));
    }

    /**
     * Applies a change to the stored referral, retrying on a concurrent write. The change may answer its argument
     * unchanged to write nothing. Answers the referral as stored afterwards, or empty if there is none.
     */
    public Optional<Referral> modify(String referralId, UnaryOperator<Referral> change) {
        return update(referralId, change, changed -> List.of());
    }

    /** One page of an agency's referrals, newest first, and where the next page starts (null: no more). */
    public record AgencyPage(List<Referral> referrals, String next) {
    }

    /**
     * An agency's referrals received in [{@code from}, {@code to}), newest first, by the {@code byAgencyDate} index,
     * those that pass {@code filter}, at most {@code limit}; {@code cursor} is the {@code next} of the page before.
     *
     * @throws IllegalArgumentException when the cursor is not one this agency was given
     */
    public AgencyPage agencyPage(String agencyId, Instant from, Instant to, String cursor, int limit,
                           Predicate<Referral> filter) {
        String partition = "AGENCY#" + agencyId;
        Map<String, AttributeValue> start = cursor == null ? null : Cursors.read(cursor, partition);
        QueryConditional range = QueryConditional.sortBetween(
                Key.builder().partitionValue(partition).sortValue(sortable(from)).build(),
                Key.builder().partitionValue(partition).sortValue(sortable(to.minusMillis(1)) + "#~").build());
        List<Referral> out = new ArrayList<>();
        DynamoDbIndex<ReferralItem> index = table.index(ReferralItem.BY_AGENCY_DATE);
        for (int round = 0; round < 20; round++) {
            var request = QueryEnhancedRequest.builder()
                    .queryConditional(range).scanIndexForward(false).limit(Math.max(limit, 25)).exclusiveStartKey(start).build();
            var page = index.query(request).iterator().next();
            Map<String, Referral> documents = documents(page.items().stream().map(ReferralItem::getPk).toList());
            for (ReferralItem key : page.items()) {
                Referral referral = documents.get(key.getPk());
                if (referral != null && filter.test(referral)) {
                    out.add(referral);
                    if (out.size() == limit) {
                        return new AgencyPage(out, Cursors.write(indexKey(key)));
                    }
                }
            }
            if (page.lastEvaluatedKey() == null || page.lastEvaluatedKey().isEmpty()) {
                return new AgencyPage(out, null);
            }
            start = page.lastEvaluatedKey();
        }
        return new AgencyPage(out, start == null ? null : Cursors.write(start));
    }

    /** Every referral of an agency received in [{@code from}, {@code to}), read by the index, then in batches. */
    public void forEachOfAgency(String agencyId, Instant from, Instant to, Consumer<Referral> each) {
        String partition = "AGENCY#" + agencyId;
        QueryConditional range = QueryConditional.sortBetween(
                Key.builder().partitionValue(partition).sortValue(sortable(from)).build(),
                Key.builder().partitionValue(partition).sortValue(sortable(to.minusMillis(1)) + "#~").build());
        List<String> keys = new ArrayList<>();
        for (var page : table.index(ReferralItem.BY_AGENCY_DATE).query(r -> r.queryConditional(range))) {
            page.items().forEach(k -> keys.add(k.getPk()));
        }
        documents(keys).values().forEach(each);
    }

    /** A partner's referrals in a status, by the {@code byPartnerStatus} index (oldest first), read in batches. */
    public List<Referral> ofPartnerInStatus(String partnerId, String status) {
        return byPartnerStatus(QueryConditional.sortBeginsWith(
                Key.builder().partitionValue("PARTNER#" + partnerId).sortValue(status + "#").build()));
    }

    /**
     * Every referral routed to a partner, whatever its status, by the {@code byPartnerStatus} index (a partner's FHIR
     * poll). Reads them all: fine for a pilot partner's hundreds; a partner with tens of thousands would want an index
     * by last change.
     */
    public List<Referral> ofPartner(String partnerId) {
        return byPartnerStatus(QueryConditional.keyEqualTo(Key.builder().partitionValue("PARTNER#" + partnerId).build()));
    }

    private List<Referral> byPartnerStatus(QueryConditional query) {
        List<String> keys = new ArrayList<>();
        for (var page : table.index(ReferralItem.BY_PARTNER_STATUS).query(r -> r.queryConditional(query))) {
            page.items().forEach(k -> keys.add(k.getPk()));
        }
        return new ArrayList<>(documents(keys).values());
    }

    /** Referrals by item key, read 100 at a time (unprocessed keys are read again by the SDK's iterable). */
    private Map<String, Referral> documents(List<String> pks) {
        Map<String, Referral> out = new LinkedHashMap<>();
        for (int i = 0; i < pks.size(); i += 100) {
            var batch = ReadBatch.builder(ReferralItem.class)
                    .mappedTableResource(table);
            pks.subList(i, Math.min(pks.size(), i + 100)).forEach(pk -> batch.addGetItem(key(pk, REFERRAL_SK)));
            var read = batch.build();
            for (var page : enhanced.batchGetItem(r -> r.readBatches(read))) {
                page.resultsForTable(table).forEach(item -> out.put(item.getPk(), CanonicalJson.readReferral(item.getDocument())));
            }
        }
        return out;
    }

    private static Map<String, AttributeValue> indexKey(ReferralItem item) {
        return Map.of(ReferralItem.PK, AttributeValue.fromS(item.getPk()), ReferralItem.SK, AttributeValue.fromS(item.getSk()),
                "gsi2pk", AttributeValue.fromS(item.getGsi2pk()), "gsi2sk", AttributeValue.fromS(item.getGsi2sk()));
    }

    /** Page cursors: the index key to start after, opaque to the agency, checked to be its own. */
    static final class Cursors {
        private Cursors() {
        }

        static String write(Map<String, AttributeValue> key) {
            Map<String, String> plain = new TreeMap<>();
            key.forEach((k, v) -> plain.put(k, v.s()));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(CanonicalJson.write(plain).getBytes(StandardCharsets.UTF_8));
        }

        static Map<String, AttributeValue> read(String cursor, String partition) {
            try {
                Map<?, ?> plain = CanonicalJson.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), Map.class);
                if (!partition.equals(plain.get("gsi2pk")) || plain.size() != 4) {
                    throw new IllegalArgumentException("not your cursor");
                }
                Map<String, AttributeValue> key = new HashMap<>();
                plain.forEach((k, v) -> key.put(String.valueOf(k), AttributeValue.fromS(String.valueOf(v))));
                if (!String.valueOf(plain.get(ReferralItem.PK)).startsWith(REFERRAL_PREFIX)) {
                    throw new IllegalArgumentException("not a referral cursor");
                }
                return key;
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("the cursor is not one this agency was given");
            }
        }
    }

    /** A notice to write with a change, and when to send it on which channel. */
    public record NoticeDue(Notice notice, Channel channel, Instant at) {
    }

    /**
     * Changes a referral as {@link #modify} does, and writes the notices the changed referral calls for in the same
     * transaction: the agency is told of a change if and only if it happened.
     */
    public Optional<Referral> update(String referralId, UnaryOperator<Referral> change,
                                     Function<Referral, List<NoticeDue>> notices) {
        // this process's own last write of the referral, if it has one, saves the read; a no-op decided on it is
        // checked against a fresh read, and a write on it is refused if anyone wrote since
        RecentWrites.Written known = recent.take(referralId);
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Referral current;
            long version;
            if (known != null) {
                current = known.referral();
                version = known.version();
            } else {
                ReferralItem item = table.getItem(r -> r.key(key(REFERRAL_PREFIX + referralId, REFERRAL_SK))
                        .consistentRead(true));
                if (item == null) {
                    return Optional.empty();
                }
                current = CanonicalJson.readReferral(item.getDocument());
                version = item.getVersion() == null ? 0 : item.getVersion();
            }
            Referral changed = change.apply(current);
            if (changed == current) {
                if (known != null) {
                    known = null;
                    attempt--;
                    continue;
                }
                return Optional.of(current);
            }
            known = null;
            Expression unchanged = versionIs(version);
            List<NoticeDue> due = notices.apply(changed);
            try {
                if (due.isEmpty()) {
                    // one conditional write: half the cost of a transaction
                    table.putItem(PutItemEnhancedRequest.builder(ReferralItem.class).item(toItem(changed, version + 1))
                            .conditionExpression(unchanged).build());
                    recent.wrote(changed, version + 1);
                    return Optional.of(changed);
                }
                TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                        .addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class)
                                .item(toItem(changed, version + 1)).conditionExpression(unchanged).build());
                for (NoticeDue notice : due) {
                    tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class)
                            .item(NoticeOutbox.item(notice.notice(), notice.channel(), notice.at()))
                            .conditionExpression(ITEM_ABSENT).build());
                }
                enhanced.transactWriteItems(tx.build());
                recent.wrote(changed, version + 1);
                return Optional.of(changed);
            } catch (ConditionalCheckFailedException | TransactionCanceledException conflict) {
                LOG.debug("referral {} changed concurrently, retrying", referralId);
            }
        }
        throw new IllegalStateException("referral " + referralId + " kept changing; gave up after "
                + MAX_CONFLICT_RETRIES + " tries");
    }

    /** A change to one referral, and the notices the changed referral calls for (written with it). */
    public record Change(String referralId, UnaryOperator<Referral> change,
                         Function<Referral, List<NoticeDue>> notices) {

        public static Change of(String referralId, UnaryOperator<Referral> change) {
            return new Change(referralId, change, changed -> List.of());
        }
    }

    /** A change ready to write: the referral changed, the version it was changed from, its item and notices. */
    private record Planned(Change change, Referral changed, long version, ReferralItem item, List<NoticeDue> notices) {

        int actions() {
            return 1 + notices.size();
        }
    }

    /**
     * Makes many changes as {@link #update} makes one, in as few writes as DynamoDB allows: the referrals are read in
     * batches (or known from this process's own last write), and every change is written conditional on the version
     * it was made from, up to 100 items to a transaction. A referral someone else wrote in between is changed again
     * on its own, from a fresh read; the others are written without it. Answers the referrals changed, by id — one
     * the change left as it was, or that is gone, is not among them.
     */
    public Map<String, Referral> updateAll(List<Change> changes) {
        Map<String, RecentWrites.Written> known = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Change change : changes) {
            RecentWrites.Written written = recent.take(change.referralId());
            if (written != null) {
                known.put(change.referralId(), written);
            } else {
                unknown.add(change.referralId());
            }
        }
        Map<String, RecentWrites.Written> read = versioned(unknown);
        List<Planned> planned = new ArrayList<>();
        List<Change> alone = new ArrayList<>();
        for (Change change : changes) {
            RecentWrites.Written current = known.containsKey(change.referralId()) ? known.get(change.referralId())
                    : read.get(change.referralId());
            if (current == null) {
                continue;
            }
            Referral changed = change.change().apply(current.referral());
            if (changed != current.referral()) {
                planned.add(new Planned(change, changed, current.version(), toItem(changed, current.version() + 1),
                        change.notices().apply(changed)));
            } else if (known.containsKey(change.referralId())) {
                alone.add(change); // a no-op decided on this process's own write is checked on a fresh read
            }
        }
        Map<String, Referral> out = new LinkedHashMap<>();
        List<Planned> chunk = new ArrayList<>();
        int actions = 0;
        long bytes = 0;
        for (Planned next : planned) {
            long size = next.item().getDocument().length();
            if (!chunk.isEmpty() && (actions + next.actions() > MAX_TX_ACTIONS || bytes + size > MAX_TX_BYTES)) {
                writeTogether(chunk, out, alone);
                chunk = new ArrayList<>();
                actions = 0;
                bytes = 0;
            }
            chunk.add(next);
            actions += next.actions();
            bytes += size;
        }
        writeTogether(chunk, out, alone);
        for (Change change : alone) {
            Referral[] changed = {null};
            update(change.referralId(), r -> {
                Referral after = change.change().apply(r);
                changed[0] = after == r ? null : after;
                return after;
            }, change.notices()).ifPresent(r -> {
                if (changed[0] != null) {
                    out.put(change.referralId(), changed[0]);
                }
            });
        }
        return out;
    }

    /** The condition of a change: the item is still at the version the change was made from. */
    private static Expression versionIs(long version) {
        return Expression.builder().expression("#v = :v").putExpressionName("#v", "version")
                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(version))).build();
    }

    /**
     * One transaction of changes — or, for a single change without notices, one conditional write, half the cost of
     * a transaction; those whose item changed since it was read are left to be made {@code alone}.
     */
    private void writeTogether(List<Planned> chunk, Map<String, Referral> out, List<Change> alone) {
        if (chunk.size() == 1 && chunk.get(0).notices().isEmpty()) {
            Planned p = chunk.get(0);
            try {
                table.putItem(PutItemEnhancedRequest.builder(ReferralItem.class).item(p.item())
                        .conditionExpression(versionIs(p.version())).build());
                recent.wrote(p.changed(), p.version() + 1);
                out.put(p.change().referralId(), p.changed());
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                alone.add(p.change());
            }
            return;
        }
        List<Planned> remaining = new ArrayList<>(chunk);
        while (!remaining.isEmpty()) {
            TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder();
            List<Planned> byAction = new ArrayList<>();
            for (Planned p : remaining) {
                tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class)
                        .item(p.item()).conditionExpression(versionIs(p.version())).build());
                byAction.add(p);
                for (NoticeDue notice : p.notices()) {
                    tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(ReferralItem.class)
                            .item(NoticeOutbox.item(notice.notice(), notice.channel(), notice.at()))
                            .conditionExpression(ITEM_ABSENT).build());
                    byAction.add(p);
                }
            }
            try {
                enhanced.transactWriteItems(tx.build());
                for (Planned p : remaining) {
                    recent.wrote(p.changed(), p.version() + 1);
                    out.put(p.change().referralId(), p.changed());
                }
                return;
            } catch (TransactionCanceledException cancelled) {
                List<CancellationReason> reasons = cancelled.cancellationReasons();
                Set<Planned> refused = new HashSet<>();
                for (int i = 0; i < byAction.size(); i++) {
                    String code = reasons == null || i >= reasons.size() ? "Unknown" : reasons.get(i).code();
                    if (!"None".equals(code)) {
                        refused.add(byAction.get(i));
                    }
                }
                if (refused.isEmpty()) {
                    refused.addAll(remaining);
                }
                LOG.debug("{} of {} referrals changed concurrently; changed again one by one", refused.size(),
                        remaining.size());
                refused.forEach(p -> alone.add(p.change()));
                remaining.removeAll(refused);
            }
        }
    }

    /** Referrals with their item versions, read consistently, 100 at a time. */
    private Map<String, RecentWrites.Written> versioned(List<String> referralIds) {
        Map<String, RecentWrites.Written> out = new HashMap<>();
        for (int i = 0; i < referralIds.size(); i += 100) {
            var batch = ReadBatch.builder(ReferralItem.class).mappedTableResource(table);
            referralIds.subList(i, Math.min(referralIds.size(), i + 100)).forEach(id -> batch.addGetItem(
                    GetItemEnhancedRequest.builder().key(key(REFERRAL_PREFIX + id, REFERRAL_SK)).consistentRead(true)
                            .build()));
            var read = batch.build();
            for (var page : enhanced.batchGetItem(r -> r.readBatches(read))) {
                page.resultsForTable(table).forEach(item -> out.put(item.getReferralId(), new RecentWrites.Written(
                        CanonicalJson.readReferral(item.getDocument()), item.getVersion() == null ? 0 : item.getVersion())));
            }
        }
        return out;
    }

    /**
     * Claims the deliveries of referrals for {@code lease}, in as few conditional writes as {@link #updateAll}
     * makes: answers those whose delivery was due and that nobody else held, in the order asked. Two dispatchers can
     * never both hold the same delivery: each claim is conditional on the version the due delivery was read at.
     */
    public List<Referral> claimDeliveries(List<String> referralIds, Instant now, Duration lease) {
        Map<String, Referral> claimed = updateAll(referralIds.stream().distinct().map(id -> Change.of(id, r ->
                r.delivery() == null || !r.delivery().isDueAt(now) ? r
                        : r.withDelivery(r.delivery().leasedUntil(now.plus(lease))))).toList());
        return referralIds.stream().distinct().map(claimed::get).filter(r -> r != null).toList();
    }

    /** Claims the delivery of one referral, as {@link #claimDeliveries} does: the referral if claimed, empty if not. */
    public Optional<Referral> claimDelivery(String referralId, Instant now, Duration lease) {
        return claimDeliveries(List.of(referralId), now, lease).stream().findFirst();
    }

    /** A delivery that is due: the referral, and its partner as the index holds it (null in a table made before). */
    public record Due(String referralId, String partnerId) {
    }

    /** Deliveries due at {@code now}, oldest first. */
    public List<Due> dueForDelivery(Instant now, int limit) {
        QueryConditional due = QueryConditional.sortLessThanOrEqualTo(
                Key.builder().partitionValue(DISPATCH_PARTITION).sortValue(sortable(now) + "~").build());
        List<Due> ids = new ArrayList<>();
        for (Page<ReferralItem> page : table.index(ReferralItem.DISPATCH_DUE)
                .query(QueryEnhancedRequest.builder().queryConditional(due).limit(limit).build())) {
            for (ReferralItem item : page.items()) {
                ids.add(new Due(item.getPk().substring(REFERRAL_PREFIX.length()), item.getPartnerId()));
                if (ids.size() >= limit) {
                    return ids;
                }
            }
        }
        return ids;
    }

    /** The keys a new referral claims when stored (its reference, or its client): two that share one are one client. */
    public List<String> claimKeys(Referral referral, Instant now) {
        return claims(referral, null, now).stream().map(ReferralItem::getPk).toList();
    }

    private List<ReferralItem> claims(Referral referral, RequestKey key, Instant now) {
        List<ReferralItem> claims = new ArrayList<>();
        if (key != null && key.key() != null && !key.key().isBlank()) {
            // the webhook's idempotency record, born completed with the referral it stands for and the request's
            // fingerprint, so the same key with another request is told apart
            ReferralItem record = IdempotencyRecords.completedItem(referral.agencyId(), key.key(),
                    referral.referralId(), key.fingerprint(), now, IDEMPOTENCY_KEY_LIFETIME);
            record.setAgencyId(referral.agencyId());
            claims.add(record);
        }
        String reference = referral.source().agencyReference();
        if (reference != null && !reference.isBlank()) {
            claims.add(claim("AGENCYREF#" + referral.agencyId() + "#" + Sha256.hex(reference), referral));
        } else {
            // without the agency's own reference, the client itself: a repeat while this referral is open is caught
            // (a claim of a referral closed since passes to the next one); and where the program holds near
            // matches, the client's name, claimed after the contacts so that a contact in common answers first
            List<String> keys = new ArrayList<>(clientClaims(referral));
            nameClaim(referral).filter(k -> holdsNearMatches.test(referral.program())).ifPresent(keys::add);
            for (String pk : keys) {
                ReferralItem claim = claim(pk, referral);
                Client client = referral.client();
                claim.setDocument(client.birthDate() == null ? null : Sha256.hex(client.birthDate().toString()));
                claims.add(claim);
            }
        }
        return claims;
    }

    private static final String CLIENT_PREFIX = "CLIENT#";
    private static final String NAME_PREFIX = "CLIENTNAME#";

    /** The key under which a referral's client's name is claimed within its program (a digest of the folded name). */
    static Optional<String> nameClaim(Referral referral) {
        Client client = referral.client();
        if (client == null || client.firstName() == null || client.lastName() == null) {
            return Optional.empty();
        }
        return Optional.of(NAME_PREFIX + referral.program() + "#" + Sha256.hex(foldedName(client)));
    }

    /**
     * The keys under which a referral's client is claimed within its program: the normalised name with the e-mail,
     * and with the E.164 phone (digests: the table keeps no name or contact in a key).
     */
    static List<String> clientClaims(Referral referral) {
        Client client = referral.client();
        if (client == null || client.firstName() == null || client.lastName() == null) {
            return List.of();
        }
        String name = foldedName(client);
        List<String> keys = new ArrayList<>();
        if (client.email() != null && !client.email().isBlank()) {
            keys.add(CLIENT_PREFIX + referral.program() + "#" + Sha256.hex(name + "|email|"
                    + client.email().toLowerCase(Locale.ROOT)));
        }
        if (client.phone() != null && !client.phone().isBlank()) {
            keys.add(CLIENT_PREFIX + referral.program() + "#" + Sha256.hex(name + "|phone|" + client.phone()));
        }
        return keys;
    }

    /** A client's first and last name, accents, case and punctuation folded. */
    private static String foldedName(Client client) {
        return folded(client.firstName()) + " " + folded(client.lastName());
    }

    private static String folded(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", " ").strip();
    }

    private static ReferralItem claim(String pk, Referral referral) {
        ReferralItem claim = new ReferralItem();
        claim.setPk(pk);
        claim.setSk(CLAIM_SK);
        claim.setKind("claim");
        claim.setReferralId(referral.referralId());
        claim.setAgencyId(referral.agencyId());
        return claim;
    }

    ReferralItem toItem(Referral referral, long version) {
        ReferralItem item = new ReferralItem();
        String id = referral.referralId();
        String received = sortable(referral.source().receivedAt());
        item.setPk(REFERRAL_PREFIX + id);
        item.setSk(REFERRAL_SK);
        item.setKind("referral");
        item.setReferralId(id);
        item.setAgencyId(referral.agencyId());
        item.setPartnerId(referral.partnerId());
        item.setStatus(referral.status().code());
        item.setReceivedAt(received);
        item.setDocument(CanonicalJson.write(referral));
        item.setVersion(version);
        if (referral.partnerId() != null) {
            item.setGsi1pk("PARTNER#" + referral.partnerId());
            item.setGsi1sk(referral.status().code() + "#" + received + "#" + id);
        }
        item.setGsi2pk("AGENCY#" + referral.agencyId());
        item.setGsi2sk(received + "#" + id);
        if (referral.status() != null && referral.status().isFinal()) {
            Instant until = retainUntil.apply(referral);
            if (until != null) {
                item.setExpiresAt(until.getEpochSecond());
            }
        }
        Delivery delivery = referral.delivery();
        if (delivery != null) {
            item.setDeliveryState(delivery.state().code());
            if (delivery.state() == Delivery.State.PENDING && delivery.nextAttemptAt() != null) {
                boolean leased = delivery.leaseUntil() != null && delivery.leaseUntil().isAfter(delivery.nextAttemptAt());
                Instant due = leased ? delivery.leaseUntil() : delivery.nextAttemptAt();
                if (leased) {
                    // a dispatcher holds it: the change feed passes this write over (its filter takes "pending"); if
                    // the dispatcher dies, the sweep finds the delivery due when the lease runs out
                    item.setDeliveryState("leased");
                }
                item.setDuePk(DISPATCH_PARTITION);
                item.setDueSk(sortable(due) + "#" + id);
            }
        }
        return item;
    }

    /** Fixed-width UTC time, so index sort keys compare as text in time order. */
    static String sortable(Instant instant) {
        return SORTABLE_TIME.format(instant);
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

}
