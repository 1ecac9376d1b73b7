package org.referralhub.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.DeliveryPolicy;
import org.referralhub.config.Partner;
import org.referralhub.outcome.StatusReports;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's claim: the due deliveries among the referrals it is given are claimed together (so no two
 * dispatchers send one), then sorted into attempts — one per referral, or one per partner that takes batches — less
 * those that must not go: a client's consent that lapsed, a partner whose deliveries are paused.
 */
public final class DeliveryClaims {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryClaims.class);

    /** Referrals to hand to one partner in one attempt. */
    public record Attempt(Partner partner, List<Referral> referrals) {
    }

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final StatusReports reports;
    private final Clock clock;

    public DeliveryClaims(ConfigurationSource configs, ReferralStore store, StatusReports reports, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.reports = reports;
        this.clock = clock;
    }

    /** The longest one attempt can take: the partner's connect and response timeouts. */
    public Duration attempt() {
        DeliveryPolicy policy = configs.current().delivery();
        return Duration.ofSeconds(policy.connectTimeoutSeconds() + policy.responseTimeoutSeconds());
    }

    /**
     * How long a claim of {@code count} deliveries holds: two full attempts for each round of them the dispatcher
     * makes ({@code concurrentDeliveries} at a time), so a crashed dispatcher's claim runs out, and a live one's lasts
     * until its last round has begun.
     */
    public Duration lease(int count) {
        int lanes = Math.max(1, configs.current().delivery().concurrentDeliveries());
        return attempt().multipliedBy(2L * Math.max(1, (count + lanes - 1) / lanes));
    }

    /**
     * Whether an attempt at these claimed referrals may still begin: only while every claim holds for a whole
     * attempt more. One begun later could still be running when the claim runs out and another dispatcher takes it;
     * not begun, it waits for that one — delayed, never sent twice at once.
     */
    public static boolean mayBegin(List<Referral> claimed, Instant now, Duration attempt) {
        Instant latestEnd = now.plus(attempt);
        return claimed.stream().allMatch(r -> r.delivery() != null && r.delivery().leaseUntil() != null
                && !r.delivery().leaseUntil().isBefore(latestEnd));
    }

    /** Claims what is due among {@code referralIds} and answers the attempts to make now. */
    public List<Attempt> claim(List<String> referralIds) {
        List<Referral> claimed = store.claimDeliveries(referralIds, clock.instant(), lease(referralIds.size()));
        if (claimed.size() < referralIds.size()) {
            LOG.debug("{} of {} referral(s) have no delivery due, or another dispatcher holds them",
                    referralIds.size() - claimed.size(), referralIds.size());
        }
        List<Attempt> attempts = new ArrayList<>();
        Map<String, List<Referral>> batches = new LinkedHashMap<>();
        for (Referral referral : claimed) {
            if (consentLapsed(referral)) {
                continue;
            }
            Partner partner = configs.current().partner(referral.partnerId()).orElse(null);
            if (partner == null) {
                LOG.warn("referral {} not delivered: its partner {} is no longer configured; tried again when its "
                        + "claim runs out", referral.referralId(), referral.partnerId());
            } else if (partner.intake() != null && partner.intake().isBatched()) {
                batches.computeIfAbsent(partner.id(), k -> new ArrayList<>()).add(referral);
            } else {
                attempts.add(new Attempt(partner, List.of(referral)));
            }
        }
        batches.values().forEach(referrals -> attempts.add(new Attempt(configs.current()
                .partner(referrals.get(0).partnerId()).orElseThrow(), referrals)));
        return attempts.stream().map(a -> new Attempt(a.partner(), pauseOrResume(a.partner(), a.referrals())))
                .filter(a -> !a.referrals().isEmpty()).toList();
    }

    /**
     * A referral whose consent expired (or was withdrawn) since it was received is not delivered: it is put on hold
     * with reason {@code consent-expired}, its delivery withheld, and the agency told on its channels.
     */
    private boolean consentLapsed(Referral referral) {
        Instant now = clock.instant();
        if (referral.consent() != null && referral.consent().isValidAt(now)) {
            return false;
        }
        store.update(referral.referralId(), r -> r.movedTo(ReferralStatus.ON_HOLD, null, "consent-expired", now,
                "hub:consent").withDelivery(Delivery.withheld()), changed -> reports.notices(changed, now));
        LOG.info("referral {} not delivered to partner {}: the client's consent expired", referral.referralId(),
                referral.partnerId());
        return true;
    }

    /**
     * The referrals to send now: none while the partner's deliveries are paused (each waits on hold, its agency told
     * once); once the pause is gone, a referral that waited is requested again and due at once, with a fresh series
     * of attempts (its agency told), and sent by the dispatch its change causes.
     */
    private List<Referral> pauseOrResume(Partner partner, List<Referral> claimed) {
        Instant now = clock.instant();
        List<Referral> send = new ArrayList<>();
        for (Referral referral : claimed) {
            if (partner.isPaused()) {
                store.update(referral.referralId(), r -> PartnerPause.held(r, now), changed ->
                        PartnerPause.isHeld(referral) ? List.of() : reports.notices(changed, now));
            } else if (PartnerPause.isHeld(referral)) {
                store.update(referral.referralId(), r -> PartnerPause.resumed(r, now)
                        .withDelivery(r.delivery().replayed(now)), changed -> reports.notices(changed, now));
            } else {
                send.add(referral);
            }
        }
        long newlyHeld = claimed.stream().filter(r -> partner.isPaused() && !PartnerPause.isHeld(r)).count();
        if (newlyHeld > 0 || !partner.isPaused() && send.size() < claimed.size()) {
            LOG.info("{} referral(s) of partner {} not sent now: its deliveries are {}", claimed.size() - send.size(),
                    partner.id(), partner.isPaused() ? "paused" : "resumed (sent next)");
        }
        return send;
    }
}
