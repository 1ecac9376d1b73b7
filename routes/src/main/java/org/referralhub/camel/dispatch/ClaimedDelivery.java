package org.referralhub.camel.dispatch;

import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Partner;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.referral.Referral;

/**
 * Referrals claimed for one attempt at their partner — one, or a batch window's — kept on the exchange while its
 * body becomes what the partner's channel sends (a signed JSON body, a file, a message).
 *
 * @param attemptStartedAt when the attempt began, as the delivery record keeps it
 */
public record ClaimedDelivery(Partner partner, List<Referral> referrals, Instant attemptStartedAt) {

    /** The exchange property that holds it from the claim on. */
    public static final String PROPERTY = "claimedDelivery";

    public ClaimedDelivery {
        referrals = List.copyOf(referrals);
    }

    public static ClaimedDelivery of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, ClaimedDelivery.class);
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
}
