package org.referralhub.routing;

import java.time.YearMonth;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Load counted in memory on top of another: what the sandbox uses (its decisions count for the rest of the sample
 * and are then forgotten), and what tests route with.
 */
public final class PartnerTally implements PartnerLoad {

    private final PartnerLoad base;
    private final ConcurrentHashMap<String, Long> months = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> rules = new ConcurrentHashMap<>();

    public PartnerTally(PartnerLoad base) {
        this.base = base;
    }

    /** Nothing routed yet. */
    public PartnerTally() {
        this(null);
    }

    @Override
    public long routedInMonth(String partnerId, YearMonth month) {
        return (base == null ? 0 : base.routedInMonth(partnerId, month)) + months.getOrDefault(partnerId + "|" + month, 0L);
    }

    @Override
    public long routedByRule(String ruleId, String partnerId) {
        return (base == null ? 0 : base.routedByRule(ruleId, partnerId)) + rules.getOrDefault(ruleId + "|" + partnerId, 0L);
    }

    @Override
    public void noteRouted(String referralId, String ruleId, String partnerId, YearMonth month) {
        months.merge(partnerId + "|" + month, 1L, Long::sum);
        rules.merge(ruleId + "|" + partnerId, 1L, Long::sum);
    }
}
