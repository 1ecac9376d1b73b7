package org.referralhub.camel.intake;

import java.time.Clock;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an HTTP door does with an assembled referral: store it once. A referral whose agency reference or
 * Idempotency-Key was seen before answers the original instead; storing is what queues the partner delivery
 * (the table's change feed wakes the dispatcher).
 */
public final class StoreReferralRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(StoreReferralRoutes.class);

    private final ReferralStore store;
    private final Clock clock;

    public StoreReferralRoutes(ReferralStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(Endpoints.STORE_REFERRAL).routeId("store-referral")
                .process(e -> {
                    Referral referral = e.getMessage().getMandatoryBody(Referral.class);
                    ReferralStore.Stored stored = store.insert(referral,
                            e.getMessage().getHeader(Endpoints.IDEMPOTENCY_KEY, String.class), clock.instant());
                    if (!stored.duplicate()) {
                        LOG.info("referral {} from agency {} stored: {} (delivery {})", referral.referralId(),
                                referral.agencyId(), referral.status().code(),
                                referral.delivery() == null ? "-" : referral.delivery().state().code());
                    }
                    e.getMessage().setBody(stored);
                });
    }
}
