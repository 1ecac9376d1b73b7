package org.referralhub.camel.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.camel.Exchange;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Partner;
import org.referralhub.delivery.DeliveryOutcome;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;

/**
 * Referrals claimed for one attempt at their partner — one, or a batch window's — kept on the exchange while its
 * body becomes what the partner's channel sends (a signed JSON body, a file, a message), and what became of the
 * attempt, which the dispatcher records with every other attempt of its dispatch.
 */
public final class ClaimedDelivery {

    /** The exchange property that holds it from the claim on. */
    public static final String PROPERTY = "claimedDelivery";

    private final Partner partner;
    private final List<Referral> referrals;
    private final Instant attemptStartedAt;
    private final List<DeliveryOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

    /** @param attemptStartedAt when the attempt began, as the delivery record keeps it */
    public ClaimedDelivery(Partner partner, List<Referral> referrals, Instant attemptStartedAt) {
        this.partner = partner;
        this.referrals = List.copyOf(referrals);
        this.attemptStartedAt = attemptStartedAt;
    }

    public static ClaimedDelivery of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, ClaimedDelivery.class);
    }

    public Partner partner() {
        return partner;
    }

    public List<Referral> referrals() {
        return referrals;
    }

    public Instant attemptStartedAt() {
        return attemptStartedAt;
    }

    /** The only referral of a single delivery, or the first of a batch. */
    public Referral first() {
        return referrals.get(0);
    }

    /** Each referral as partners see it, with its agency's name. */
    public List<PartnerReferral> views(HubConfiguration config) {
        return referrals.stream().map(r -> PartnerReferral.of(r,
                config.agency(r.agencyId()).map(a -> a.name()).orElse(r.agencyId()))).toList();
    }

    /** The partner took every referral of the attempt. @param detail what was handed over (or null) */
    public void delivered(Channel channel, Integer responseStatus, String detail) {
        referrals.forEach(r -> outcomes.add(new DeliveryOutcome.Delivered(r.referralId(), partner, channel,
                attemptStartedAt, responseStatus, detail)));
    }

    /** The attempt failed for every referral in it. @param retryAfter the partner's {@code Retry-After}, or null */
    public void failed(Integer responseStatus, String detail, Duration retryAfter) {
        referrals.forEach(r -> outcomes.add(new DeliveryOutcome.Failed(r.referralId(), partner, partner.intake().kind(),
                attemptStartedAt, responseStatus, detail, retryAfter)));
    }

    /** What became of the attempt, so far: nothing while it runs, or when the hub's own store interrupted it. */
    public List<DeliveryOutcome> outcomes() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }
}
