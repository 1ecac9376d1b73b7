package org.referralhub.outcome;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Partner;
import org.referralhub.config.Program;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep of referrals partners let wait: each partner is reminded of the ones past its program's reminder, and the
 * ones past its limit go to the next eligible partner (the agency told) — at most every ten minutes of the hub's clock
 * per container. A step that fails is left for the next sweep.
 */
public final class StaleSweep {

    private static final Logger LOG = LoggerFactory.getLogger(StaleSweep.class);
    private static final Duration EVERY = Duration.ofMinutes(10);

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final StatusReports reports;
    private final PartnerMessages messages;
    private final Clock clock;
    private final StaleReferrals stale = new StaleReferrals();
    private volatile Instant lastSweep;

    public StaleSweep(ConfigurationSource configs, ReferralStore store, StatusReports reports, PartnerMessages messages,
                      Clock clock) {
        this.configs = configs;
        this.store = store;
        this.reports = reports;
        this.messages = messages;
        this.clock = clock;
    }

    /** Answers how many steps were taken (0 when the last sweep was under ten minutes ago). */
    public int sweep() {
        Instant now = clock.instant();
        Instant last = lastSweep;
        if (last != null && now.isBefore(last.plus(EVERY))) {
            return 0;
        }
        lastSweep = now;
        HubConfiguration config = configs.current();
        int steps = 0;
        for (Partner partner : config.partners()) {
            for (Referral referral : store.ofPartnerInStatus(partner.id(), ReferralStatus.REQUESTED.code())) {
                Program.Staleness staleness = config.program(referral.program()).map(Program::staleness).orElse(null);
                StaleReferrals.Step step = stale.due(referral, staleness, now);
                try {
                    if (step == StaleReferrals.Step.REMIND && PartnerMessages.canRemind(partner)) {
                        messages.remind(partner, referral, now);
                        store.update(referral.referralId(), r -> stale.due(r, staleness, now) == StaleReferrals.Step.REMIND
                                ? stale.reminded(r, now) : r, changed -> List.of());
                        steps++;
                    } else if (step == StaleReferrals.Step.REROUTE) {
                        store.update(referral.referralId(), r -> stale.due(r, staleness, now) == StaleReferrals.Step.REROUTE
                                ? stale.rerouted(r, config, now) : r, changed -> reports.notices(changed, now));
                        LOG.info("referral {} sent on from partner {} after waiting", referral.referralId(), partner.id());
                        steps++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("stale referral {} of partner {}: {} not done ({}); next sweep tries again",
                            referral.referralId(), partner.id(), step, e.getClass().getSimpleName());
                }
            }
        }
        return steps;
    }
}
