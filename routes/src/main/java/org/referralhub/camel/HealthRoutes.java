package org.referralhub.camel;

import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.archive.RawArchive;
import org.referralhub.store.ReferralStore;

/** Whether the hub's stores answer: the referrals table and the raw archive. Every HTTP function has it. */
public final class HealthRoutes extends RouteBuilder {

    private final ReferralStore store;
    private final RawArchive archive;

    public HealthRoutes(ReferralStore store, RawArchive archive) {
        this.store = store;
        this.archive = archive;
    }

    @Override
    public void configure() {
        from(Endpoints.HEALTH).routeId("health").routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> {
                    e.setProperty(ApiRequest.PROPERTY, e.getMessage().getMandatoryBody(ApiRequest.class));
                    store.checkAvailable();
                    archive.checkAvailable();
                    e.getMessage().setBody(ApiReply.json(200, Map.of("status", "up")));
                });
    }
}
