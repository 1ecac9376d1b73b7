package org.referralhub.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.RoutingTable;
import org.referralhub.referral.Referral;
import org.referralhub.routing.PartnerLoad;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Partners' load as counters in the referrals table ({@code LOAD#partner}: one per month, one per routing rule),
 * added to when a routed referral is stored. Reads are kept for a few seconds; referrals this container has routed
 * but not stored yet (the rows of a file being imported) count at once, so they spread as they would one by one.
 * Containers count apart until their next read, so a quota can be passed by the referrals routed at the same moment.
 */
public final class PartnerLoadCounters implements PartnerLoad {

    private static final Duration PENDING_LIFETIME = Duration.ofMinutes(2);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Read> reads = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private record Read(long value, Instant at) {
    }

    private record Pending(String monthKey, String ruleKey, Instant at) {
    }

    private final ConfigurationSource configs;

    public PartnerLoadCounters(DynamoDbClient dynamo, String table, ConfigurationSource configs, Clock clock,
                               Duration maxAge) {
        this.configs = configs;
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    @Override
    public long routedInMonth(String partnerId, YearMonth month) {
        String key = monthKey(partnerId, month);
        return read(key) + pending.values().stream().filter(p -> p.monthKey().equals(key)).count();
    }

    @Override
    public long routedByRule(String ruleId, String partnerId) {
        String key = ruleKey(ruleId, partnerId);
        return read(key) + pending.values().stream().filter(p -> p.ruleKey().equals(key)).count();
    }

    @Override
    public void noteRouted(String referralId, String ruleId, String partnerId, YearMonth month) {
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.at().isBefore(now.minus(PENDING_LIFETIME)));
        if (referralId != null) {
            pending.put(referralId, new Pending(monthKey(partnerId, month), ruleKey(ruleId, partnerId), now));
        }
    }

    /**
     * Referrals were stored (or found to be duplicates, {@code stored} false): make their counts lasting, or drop
     * them. Only the counts something decides on are kept — a month's for a partner with a quota or in a
     * least-loaded rule, a rule's for a round-robin rule — in one write per counter.
     */
    public void settled(List<Referral> referrals, Predicate<Referral> stored) {
        HubConfiguration config = configs.current();
        Map<String, Long> additions = new TreeMap<>();
        for (Referral referral : referrals) {
            pending.remove(referral.referralId());
            if (!stored.test(referral) || referral.routing() == null) {
                continue;
            }
            String partner = referral.routing().partnerId();
            String rule = referral.routing().ruleId();
            YearMonth month = YearMonth.from(referral.routing().decidedAt().atZone(ZoneOffset.UTC));
            boolean quota = config.partner(partner).map(p -> p.capacity().monthlyQuota() != null).orElse(false);
            boolean leastLoaded = config.routing().rules().stream().anyMatch(r ->
                    RoutingTable.RoutingRule.LEAST_LOADED.equals(r.strategy()) && r.candidates().contains(partner));
            if (quota || leastLoaded) {
                additions.merge(monthKey(partner, month), 1L, Long::sum);
            }
            boolean roundRobin = config.routing().rules().stream().anyMatch(r -> r.id().equals(rule)
                    && RoutingTable.RoutingRule.ROUND_ROBIN.equals(r.strategy()));
            if (roundRobin) {
                additions.merge(ruleKey(rule, partner), 1L, Long::sum);
            }
        }
        additions.forEach(this::add);
    }

    private void add(String key, long count) {
        int split = key.indexOf('|');
        var response = dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of(ReferralItem.PK, AttributeValue.fromS(key.substring(0, split)),
                        ReferralItem.SK, AttributeValue.fromS(key.substring(split + 1))))
                .updateExpression("ADD routed :one SET kind = :kind")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN(Long.toString(count)), ":kind", AttributeValue.fromS("load")))
                .returnValues(ReturnValue.UPDATED_NEW));
        reads.put(key, new Read(Long.parseLong(response.attributes().get("routed").n()), clock.instant()));
    }

    private long read(String key) {
        Read known = reads.get(key);
        Instant now = clock.instant();
        if (known != null && now.isBefore(known.at().plus(maxAge))) {
            return known.value();
        }
        int split = key.indexOf('|');
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of(ReferralItem.PK, AttributeValue.fromS(key.substring(0, split)),
                        ReferralItem.SK, AttributeValue.fromS(key.substring(split + 1))))).item();
        long value = item == null || !item.containsKey("routed") ? 0 : Long.parseLong(item.get("routed").n());
        reads.put(key, new Read(value, now));
        return value;
    }

    private static String monthKey(String partnerId, YearMonth month) {
        return "LOAD#" + partnerId + "|MONTH#" + month;
    }

    private static String ruleKey(String ruleId, String partnerId) {
        return "LOAD#" + partnerId + "|RULE#" + ruleId;
    }
}
