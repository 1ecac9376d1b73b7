package org.referralhub.camel;

import org.apache.camel.builder.RouteBuilder;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every channel does with an assembled referral: store it once. A referral whose agency reference or
 * Idempotency-Key was seen before answers the original instead; storing is what queues the partner delivery
 * (the table's change feed wakes the dispatcher).
 */
public final class IntakeRoutes extends RouteBuilder {

    /** Header with the sender's Idempotency-Key, if any. */
    public static final String IDEMPOTENCY_KEY = "ReferralHubIdempotencyKey";
    private static final Logger LOG = LoggerFactory.getLogger(IntakeRoutes.class);

    private final HubServices hub;

    public IntakeRoutes(HubServices hub) {
        this.hub = hub;
    }

    @Override
    public void configure() {
        from(Endpoints.ACCEPT_REFERRAL).routeId("accept-referral")
                .process(e -> {
                    Referral referral = e.getMessage().getMandatoryBody(Referral.class);
                    ReferralStore.Stored stored = hub.store().insert(referral,
                            e.getMessage().getHeader(IDEMPOTENCY_KEY, String.class), hub.clock().instant());
                    if (!stored.duplicate()) {
                        LOG.info("referral {} from agency {} stored: {} (delivery {})", referral.referralId(),
                                referral.agencyId(), referral.status().code(),
                                referral.delivery() == null ? "-" : referral.delivery().state().code());
                    }
                    e.getMessage().setBody(stored);
                });
    }
}
