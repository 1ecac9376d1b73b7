package org.referralhub.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.referralhub.config.DeliveryPolicy;
import org.referralhub.config.Partner;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.StatusChange;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each delivery attempt onto its referral: a success closes the delivery; a failure schedules the next
 * attempt with backoff, or, after the partner's maximum, marks the delivery and the referral failed.
 */
public final class DeliveryLedger {

    private static final String BY = "hub:dispatch";

    /** The reason a referral failed when its delivery was given up for good. */
    public static final String GAVE_UP = "delivery-failed";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);

    private final ReferralStore store;
    private final DeliveryPolicy policy;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final Function<Referral, List<ReferralStore.NoticeDue>> notices;

    /**
     * @param notices the referring agency's notices of a change (a delivery given up for good is one), written with
     *                the change
     */
    public DeliveryLedger(ReferralStore store, DeliveryPolicy policy, Clock clock,
                          Function<Referral, List<ReferralStore.NoticeDue>> notices) {
        this.store = store;
        this.policy = policy;
        this.schedule = new RetrySchedule(policy);
        this.clock = clock;
        this.notices = notices;
    }

    /**
     * Records the outcomes of a dispatch on their referrals, in as few writes as the store makes them (one
     * conditional transaction for up to 100), with the notices any of them calls for. Answers the referrals changed.
     */
    public Map<String, Referral> record(List<DeliveryOutcome> outcomes) {
        Instant now = clock.instant();
        return store.updateAll(outcomes.stream().map(outcome -> new ReferralStore.Change(outcome.referralId(),
                r -> outcome instanceof DeliveryOutcome.Failed failed ? failed(r, failed, now)
                        : delivered(r, (DeliveryOutcome.Delivered) outcome, now),
                changed -> gaveUpNow(changed, now) ? notices.apply(changed) : List.of())).toList());
    }

    private static Referral delivered(Referral r, DeliveryOutcome.Delivered outcome, Instant now) {
        DeliveryAttempt attempt = new DeliveryAttempt(r.delivery().attempts().size() + 1, outcome.startedAt(),
                outcome.channel(), outcome.partner().id(), DeliveryAttempt.Outcome.DELIVERED, outcome.responseStatus(),
                Duration.between(outcome.startedAt(), now).toMillis(), outcome.detail());
        LOG.info("referral {} delivered to partner {} on attempt {}", r.referralId(), outcome.partner().id(),
                attempt.number());
        return r.withDelivery(r.delivery().delivered(attempt));
    }

    /** Whether this change is the one that gave the delivery up: the referral failed by the dispatcher, just now. */
    private static boolean gaveUpNow(Referral changed, Instant now) {
        if (changed.statusHistory().isEmpty()) {
            return false;
        }
        StatusChange last = changed.statusHistory().get(changed.statusHistory().size() - 1);
        return last.status() == ReferralStatus.FAILED && GAVE_UP.equals(last.reason()) && BY.equals(last.by())
                && now.equals(last.at());
    }

    /**
     * A failed attempt: tried again on the policy's schedule (no sooner than the partner's {@code Retry-After}, if it
     * gave one), or given up once the series' first attempt is the partner's (or the hub's) {@code retryForHours}
     * ago — or, where set, after {@code maxAttempts}.
     */
    private Referral failed(Referral r, DeliveryOutcome.Failed outcome, Instant now) {
        Partner partner = outcome.partner();
        Instant startedAt = outcome.startedAt();
        String detail = outcome.detail();
        Integer maxAttempts = partner != null && partner.maxAttempts() != null ? partner.maxAttempts() : policy.maxAttempts();
        Duration retryFor = partner != null && partner.retryForHours() != null
                ? Duration.ofHours(partner.retryForHours()) : policy.retryFor();
        int number = r.delivery().attempts().size() + 1;
        DeliveryAttempt attempt = new DeliveryAttempt(number, startedAt, outcome.channel(),
                partner == null ? r.partnerId() : partner.id(), DeliveryAttempt.Outcome.FAILED, outcome.responseStatus(),
                Duration.between(startedAt, now).toMillis(), detail);
        int inSeries = r.delivery().attemptsInSeries();
        List<DeliveryAttempt> attempts = r.delivery().attempts();
        Instant seriesBegan = inSeries == 0 ? startedAt : attempts.get(attempts.size() - inSeries).at();
        boolean outOfTime = !startedAt.isBefore(seriesBegan.plus(retryFor));
        if (outOfTime || maxAttempts != null && inSeries + 1 >= maxAttempts) {
            LOG.warn("referral {} could not be delivered after {} attempts over {}: {}", r.referralId(), number,
                    Duration.between(seriesBegan, startedAt), detail);
            Referral gaveUp = r.withDelivery(r.delivery().gaveUp(attempt));
            return gaveUp.status().canMoveTo(ReferralStatus.FAILED)
                    ? gaveUp.movedTo(ReferralStatus.FAILED, gaveUp.businessStatus(), GAVE_UP, now, BY)
                    : gaveUp;
        }
        Instant next = now.plus(schedule.delayAfter(inSeries + 1, outcome.retryAfter(), outcome.responseStatus()));
        LOG.info("referral {} delivery attempt {} failed ({}); next attempt at {}", r.referralId(), number, detail, next);
        return r.withDelivery(r.delivery().retryAt(next, attempt));
    }
}
