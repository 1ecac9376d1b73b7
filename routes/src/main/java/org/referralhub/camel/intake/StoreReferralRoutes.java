package org.referralhub.camel.intake;

import java.time.Clock;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.Endpoints;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an HTTP door does with an assembled referral: store it once. A referral whose agency reference or
 * Idempotency-Key was seen before answers the original instead — unless the key came with another request, which is
 * refused (422); storing is what queues the partner delivery (the table's change feed wakes the dispatcher).
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
        // a failure goes back to the door that called, whose error handling answers it (a 422, a 503)
        from(Endpoints.STORE_REFERRAL).routeId("store-referral").errorHandler(noErrorHandler())
                .process(e -> {
                    Referral referral = e.getMessage().getMandatoryBody(Referral.class);
                    ReferralStore.Stored stored;
                    try {
                        stored = store.insert(referral, new ReferralStore.RequestKey(
                                e.getMessage().getHeader(Endpoints.IDEMPOTENCY_KEY, String.class),
                                e.getMessage().getHeader(Endpoints.REQUEST_FINGERPRINT, String.class)), clock.instant());
                    } catch (ReferralStore.IdempotencyKeyReused reused) {
                        // the IETF idempotency-key draft: the same key with another request is a client error
                        throw new ApiProblem(422, "idempotency-key-reused", "Idempotency-Key already used",
                                "This Idempotency-Key came earlier with another request: nothing was stored. Send a new "
                                        + "key for a new referral; send the same body to ask again about the first.");
                    }
                    if (!stored.duplicate()) {
                        LOG.info("referral {} from agency {} stored: {} (delivery {})", referral.referralId(),
                                referral.agencyId(), referral.status().code(),
                                referral.delivery() == null ? "-" : referral.delivery().state().code());
                    }
                    e.getMessage().setBody(stored);
                });
    }
}
