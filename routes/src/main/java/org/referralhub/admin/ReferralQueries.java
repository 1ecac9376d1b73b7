package org.referralhub.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.outcome.FunnelReport;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;

/**
 * Referrals across agencies for administrators: a search, today's and this week's activity, the funnel. Referrals
 * are found agency by agency through the {@code byAgencyDate} index and read in batches: no scan.
 */
public final class ReferralQueries {

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final Clock clock;

    public ReferralQueries(ConfigurationSource configs, ReferralStore store, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.clock = clock;
    }

    /** Referrals of every agency (or one) received in the search's period, newest first; no client details. */
    public ReferralOverview.Found search(ReferralOverview.Search search) {
        return ReferralOverview.found(search, received(search.agencyId(), search.from(), search.to(),
                r -> ReferralOverview.matches(search, r)));
    }

    /** Today's and this week's referrals by channel, and the ones waiting too long for their partner. */
    public ReferralOverview.Activity activity() {
        Instant now = clock.instant();
        return ReferralOverview.activity(received(null, now.minus(ReferralOverview.LOOK_BACK), now.plusSeconds(1),
                r -> true), configs.current(), now);
    }

    /** The funnel over a period, optionally for one program, agency or partner (the filters' keys). */
    public FunnelReport.Report funnel(Instant from, Instant to, Map<String, String> filters) {
        String program = filters.get("program");
        String partner = filters.get("partner");
        return FunnelReport.of(from, to, filters, received(filters.get("agency"), from, to,
                r -> (program == null || program.equals(r.program())) && (partner == null || partner.equals(r.partnerId()))));
    }

    /** Referrals received in a period from one agency, or from every agency of the configuration in force. */
    private List<Referral> received(String agencyId, Instant from, Instant to, Predicate<Referral> which) {
        List<Referral> out = new ArrayList<>();
        for (Agency a : configs.current().agencies()) {
            if (agencyId == null || agencyId.equals(a.id())) {
                store.forEachOfAgency(a.id(), from, to, r -> {
                    if (which.test(r)) {
                        out.add(r);
                    }
                });
            }
        }
        return out;
    }
}
