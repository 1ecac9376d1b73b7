package org.referralhub.camel.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
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
 * The outbox side: a referral whose delivery is due is claimed (so no two dispatchers send it), then handed to
 * the route of its partner's channel. Fed by the table's change feed and by a periodic sweep that picks
 * up retries whose backoff has passed, batches whose window has closed, and anything a feed missed.
 */
public final class DispatchRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchRoutes.class);
    private static final String DELIVER_BY = "deliverBy";
    private static final int SWEEP_LIMIT = 500;

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final StatusReports reports;
    private final Clock clock;

    public DispatchRoutes(ConfigurationSource configs, ReferralStore store, StatusReports reports, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.reports = reports;
        this.clock = clock;
    }

    /** How long a claim holds: two full attempts, so a crashed dispatcher's claim runs out. */
    Duration lease() {
        DeliveryPolicy policy = configs.current().delivery();
        return Duration.ofSeconds(2L * (policy.connectTimeoutSeconds() + policy.responseTimeoutSeconds()));
    }

    @Override
    public void configure() {
        // the partner's channel names the delivery route: one of three fixed endpoints, never a configured value
        from(Endpoints.DISPATCH).routeId("dispatch").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::claimOne)
                .filter(exchangeProperty(ClaimedDelivery.PROPERTY).isNotNull())
                    .routingSlip(exchangeProperty(DELIVER_BY))
                .end();

        from(Endpoints.DISPATCH_BATCH).routeId("dispatch-batch").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::claimBatch)
                .filter(exchangeProperty(ClaimedDelivery.PROPERTY).isNotNull())
                    .routingSlip(exchangeProperty(DELIVER_BY))
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
        List<ReferralStore.Due> due = store.dueForDelivery(clock.instant(), SWEEP_LIMIT);
        List<String> singles = new ArrayList<>();
        Map<String, List<String>> batches = new LinkedHashMap<>();
        for (ReferralStore.Due delivery : due) {
            String id = delivery.referralId();
            String partnerId = delivery.partnerId() != null ? delivery.partnerId()
                    : store.find(id).map(Referral::partnerId).orElse(null);
            boolean batched = partnerId != null && configs.current().partner(partnerId)
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
        Referral referral = store.claimDelivery(referralId, clock.instant(), lease()).orElse(null);
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
            store.claimDelivery(id, clock.instant(), lease()).filter(r -> !consentLapsed(r)).ifPresent(claimed::add);
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

    private void claimed(Exchange exchange, List<Referral> referrals) {
        Referral first = referrals.get(0);
        Partner partner = configs.current().partner(first.partnerId()).orElseThrow(() ->
                new IllegalStateException("partner " + first.partnerId() + " is no longer configured"));
        exchange.setProperty(ClaimedDelivery.PROPERTY, new ClaimedDelivery(partner, referrals, clock.instant()));
        exchange.setProperty(DELIVER_BY, partner.intake().match(webhook -> Endpoints.DELIVER_WEBHOOK,
                sftp -> Endpoints.DELIVER_SFTP, email -> Endpoints.DELIVER_EMAIL));
    }
}
