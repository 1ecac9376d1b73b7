package org.referralhub.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.config.Partner;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox side: a referral whose delivery is due is claimed (so no two dispatchers send it), then handed to
 * the route of its partner's intake channel. Fed by the table's change feed and by a periodic sweep that picks
 * up retries whose backoff has passed, batches whose window has closed, and anything a feed missed.
 */
public final class DispatchRoutes extends RouteBuilder {

    static final String REFERRAL = "referral";
    static final String REFERRALS = "referrals";
    static final String PARTNER = "partner";
    static final String ATTEMPT_STARTED = "attemptStartedAt";
    static final String PARTNER_CHANNEL = "partnerChannel";
    private static final Logger LOG = LoggerFactory.getLogger(DispatchRoutes.class);
    private static final int SWEEP_LIMIT = 500;

    private final HubServices hub;

    private final org.referralhub.outcome.StatusReports reports;

    public DispatchRoutes(HubServices hub) {
        this.reports = new org.referralhub.outcome.StatusReports(hub.configs(), hub.store(), hub.clock());
        this.hub = hub;
    }

    /** How long a claim holds: two full attempts, so a crashed dispatcher's claim runs out. */
    Duration lease() {
        var policy = hub.config().delivery();
        return Duration.ofSeconds(2L * (policy.connectTimeoutSeconds() + policy.responseTimeoutSeconds()));
    }

    @Override
    public void configure() {
        from(Endpoints.DISPATCH).routeId("dispatch").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::claimOne)
                .choice()
                    .when(exchangeProperty(REFERRALS).isNull()).stop()
                .end()
                .choice()
                    .when(exchangeProperty(PARTNER_CHANNEL).isEqualTo("webhook")).to(Endpoints.DELIVER_WEBHOOK)
                    .when(exchangeProperty(PARTNER_CHANNEL).isEqualTo("sftp")).to(Endpoints.DELIVER_SFTP)
                    .when(exchangeProperty(PARTNER_CHANNEL).isEqualTo("email")).to(Endpoints.DELIVER_EMAIL)
                    .otherwise().throwException(IllegalStateException.class, "partner intake channel not supported")
                .end();

        from(Endpoints.DISPATCH_BATCH).routeId("dispatch-batch").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::claimBatch)
                .choice()
                    .when(exchangeProperty(REFERRALS).isNull()).stop()
                .end()
                .choice()
                    .when(exchangeProperty(PARTNER_CHANNEL).isEqualTo("email")).to(Endpoints.DELIVER_EMAIL)
                    .otherwise().to(Endpoints.DELIVER_SFTP)
                .end();

        from(Endpoints.DISPATCH_DUE).routeId("dispatch-due")
                .process(this::sortDue)
                .split(simple("${exchangeProperty.singles}"))
                    .to(Endpoints.DISPATCH)
                .end()
                .split(simple("${exchangeProperty.batches}"))
                    .to(Endpoints.DISPATCH_BATCH)
                .end()
                .setBody(exchangeProperty("dueCount"));
    }

    /** Due deliveries: one by one, except those of partners that take batches, gathered per partner. */
    private void sortDue(Exchange exchange) {
        List<ReferralStore.Due> due = hub.store().dueForDelivery(hub.clock().instant(), SWEEP_LIMIT);
        List<String> singles = new ArrayList<>();
        Map<String, List<String>> batches = new LinkedHashMap<>();
        for (ReferralStore.Due delivery : due) {
            String id = delivery.referralId();
            String partnerId = delivery.partnerId() != null ? delivery.partnerId()
                    : hub.store().find(id).map(Referral::partnerId).orElse(null);
            boolean batched = partnerId != null && hub.config().partner(partnerId)
                    .map(p -> p.intake() != null && p.intake().isBatched()).orElse(false);
            if (batched) {
                batches.computeIfAbsent(partnerId, k -> new ArrayList<>()).add(id);
            } else {
                singles.add(id);
            }
        }
        exchange.setProperty("singles", singles);
        exchange.setProperty("batches", new ArrayList<>(batches.values()));
        exchange.setProperty("dueCount", due.size());
    }

    private void claimOne(Exchange exchange) throws InvalidPayloadException {
        String referralId = exchange.getMessage().getMandatoryBody(String.class);
        Referral referral = hub.store().claimDelivery(referralId, hub.clock().instant(), lease()).orElse(null);
        if (referral == null) {
            LOG.debug("referral {} has no delivery due, or another dispatcher holds it", referralId);
            return;
        }
        if (consentLapsed(referral)) {
            return;
        }
        claimed(exchange, List.of(referral));
    }

    @SuppressWarnings("unchecked")
    private void claimBatch(Exchange exchange) throws InvalidPayloadException {
        List<String> ids = exchange.getMessage().getMandatoryBody(List.class);
        List<Referral> claimed = new ArrayList<>();
        for (String id : ids) {
            hub.store().claimDelivery(id, hub.clock().instant(), lease()).filter(r -> !consentLapsed(r))
                    .ifPresent(claimed::add);
        }
        if (!claimed.isEmpty()) {
            claimed(exchange, claimed);
        }
    }

    /**
     * A referral whose consent expired (or was withdrawn) since it was received is not delivered: it is put on hold
     * with reason {@code consent-expired}, its delivery withheld, and the agency told on its channels.
     */
    private boolean consentLapsed(Referral referral) {
        java.time.Instant now = hub.clock().instant();
        if (referral.consent() != null && referral.consent().isValidAt(now)) {
            return false;
        }
        hub.store().update(referral.referralId(), r -> r.movedTo(org.referralhub.referral.ReferralStatus.ON_HOLD, null,
                        "consent-expired", now, "hub:consent").withDelivery(org.referralhub.referral.Delivery.withheld()),
                changed -> reports.notices(changed, now));
        LOG.info("referral {} not delivered to partner {}: the client's consent expired", referral.referralId(),
                referral.partnerId());
        return true;
    }

    private void claimed(Exchange exchange, List<Referral> referrals) {
        Referral first = referrals.get(0);
        exchange.setProperty(REFERRALS, referrals);
        exchange.setProperty(REFERRAL, first);
        exchange.setProperty(ATTEMPT_STARTED, hub.clock().instant());
        Partner partner = hub.config().partner(first.partnerId()).orElseThrow(() ->
                new IllegalStateException("partner " + first.partnerId() + " is no longer configured"));
        exchange.setProperty(PARTNER, partner);
        exchange.setProperty(PARTNER_CHANNEL, partner.intake().channel());
    }
}
