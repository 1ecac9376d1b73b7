package org.referralhub.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.referralhub.config.DeliveryPolicy;
import org.referralhub.config.Partner;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each delivery attempt onto its referral: a success closes the delivery; a failure schedules the next
 * attempt with backoff, or, after the partner's maximum, marks the delivery and the referral failed.
 */
public final class DeliveryLedger {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);

    private final ReferralStore store;
    private final DeliveryPolicy policy;
    private final RetrySchedule schedule;
    private final Clock clock;

    public DeliveryLedger(ReferralStore store, DeliveryPolicy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.schedule = new RetrySchedule(policy);
        this.clock = clock;
    }

    public Optional<Referral> delivered(String referralId, Partner partner, Channel channel, Instant startedAt,
                                        Integer responseStatus) {
        return delivered(referralId, partner, channel, startedAt, responseStatus, null);
    }

    /** @param detail what was handed over, e.g. the file a referral went in */
    public Optional<Referral> delivered(String referralId, Partner partner, Channel channel, Instant startedAt,
                                        Integer responseStatus, String detail) {
        Instant now = clock.instant();
        return store.modify(referralId, r -> {
            DeliveryAttempt attempt = new DeliveryAttempt(r.delivery().attempts().size() + 1, startedAt, channel,
                    partner.id(), DeliveryAttempt.Outcome.DELIVERED, responseStatus,
                    Duration.between(startedAt, now).toMillis(), detail);
            LOG.info("referral {} delivered to partner {} on attempt {}", referralId, partner.id(), attempt.number());
            return r.withDelivery(r.delivery().delivered(attempt));
        });
    }

    public Optional<Referral> failed(String referralId, Partner partner, Channel channel, Instant startedAt,
                                     Integer responseStatus, String detail) {
        Instant now = clock.instant();
        int maxAttempts = partner != null && partner.maxAttempts() != null ? partner.maxAttempts() : policy.maxAttempts();
        return store.modify(referralId, r -> {
            int number = r.delivery().attempts().size() + 1;
            DeliveryAttempt attempt = new DeliveryAttempt(number, startedAt, channel,
                    partner == null ? r.partnerId() : partner.id(), DeliveryAttempt.Outcome.FAILED, responseStatus,
                    Duration.between(startedAt, now).toMillis(), detail);
            if (r.delivery().attemptsInSeries() + 1 >= maxAttempts) {
                LOG.warn("referral {} could not be delivered after {} attempts: {}", referralId, number, detail);
                Referral gaveUp = r.withDelivery(r.delivery().gaveUp(attempt));
                return gaveUp.status().canMoveTo(ReferralStatus.FAILED)
                        ? gaveUp.movedTo(ReferralStatus.FAILED, gaveUp.businessStatus(), "delivery-failed", now, "hub:dispatch")
                        : gaveUp;
            }
            Instant next = now.plus(schedule.delayAfter(number));
            LOG.info("referral {} delivery attempt {} failed ({}); next attempt at {}", referralId, number, detail, next);
            Delivery retry = r.delivery().retryAt(next, attempt);
            return r.withDelivery(retry);
        });
    }
}
