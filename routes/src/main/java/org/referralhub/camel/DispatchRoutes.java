package org.referralhub.camel;

import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.config.Partner;
import org.referralhub.referral.Referral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox side: a referral whose delivery is due is claimed (so no two dispatchers send it), then handed to
 * the route of its partner's intake channel. Fed by the table's change feed and by a periodic sweep that picks
 * up retries whose backoff has passed and anything a feed missed.
 */
public final class DispatchRoutes extends RouteBuilder {

    static final String REFERRAL = "referral";
    static final String PARTNER = "partner";
    static final String ATTEMPT_STARTED = "attemptStartedAt";
    private static final Logger LOG = LoggerFactory.getLogger(DispatchRoutes.class);
    private static final int SWEEP_LIMIT = 100;

    private final HubServices hub;

    public DispatchRoutes(HubServices hub) {
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
                .process(this::claim)
                .choice()
                    .when(exchangeProperty(REFERRAL).isNull()).stop()
                .end()
                .choice()
                    .when(exchangeProperty("partnerChannel").isEqualTo("webhook")).to(Endpoints.DELIVER_WEBHOOK)
                    .otherwise().throwException(IllegalStateException.class, "partner intake channel not supported")
                .end();

        from(Endpoints.DISPATCH_DUE).routeId("dispatch-due")
                .process(e -> {
                    List<String> due = hub.store().dueForDelivery(hub.clock().instant(), SWEEP_LIMIT);
                    e.getMessage().setBody(due);
                    e.setProperty("dueCount", due.size());
                })
                .split(body())
                    .to(Endpoints.DISPATCH)
                .end()
                .setBody(exchangeProperty("dueCount"));
    }

    private void claim(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        String referralId = exchange.getMessage().getMandatoryBody(String.class);
        Referral referral = hub.store().claimDelivery(referralId, hub.clock().instant(), lease()).orElse(null);
        if (referral == null) {
            LOG.debug("referral {} has no delivery due, or another dispatcher holds it", referralId);
            return;
        }
        exchange.setProperty(REFERRAL, referral);
        exchange.setProperty(ATTEMPT_STARTED, hub.clock().instant());
        Partner partner = hub.config().partner(referral.partnerId()).orElseThrow(() ->
                new IllegalStateException("partner " + referral.partnerId() + " is no longer configured"));
        exchange.setProperty(PARTNER, partner);
        exchange.setProperty("partnerChannel", partner.intake().channel());
    }
}
