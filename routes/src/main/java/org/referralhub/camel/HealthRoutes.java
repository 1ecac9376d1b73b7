package org.referralhub.camel;

import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.api.OpenApiDocument;
import org.referralhub.archive.RawArchive;
import org.referralhub.store.ReferralStore;

/**
 * Whether the hub's stores answer (the referrals table and the raw archive), and the OpenAPI document that describes
 * every HTTP endpoint. Every HTTP function has them.
 */
public final class HealthRoutes extends RouteBuilder {

    private final ReferralStore store;
    private final RawArchive archive;
    private OpenApiDocument document;

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
        from(Endpoints.OPENAPI).routeId("openapi").routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> {
                    ApiRequest request = e.getMessage().getMandatoryBody(ApiRequest.class);
                    e.setProperty(ApiRequest.PROPERTY, request);
                    boolean yaml = request.path().endsWith(".yaml");
                    e.getMessage().setBody(new ApiReply(200, Map.of("Content-Type", yaml ? "application/yaml"
                            : "application/json", "Cache-Control", "public, max-age=300"),
                            yaml ? document().yaml() : document().json()));
                });
    }

    /** Read at the first request: a function that is never asked for it never builds it. */
    private synchronized OpenApiDocument document() {
        if (document == null) {
            document = OpenApiDocument.load();
        }
        return document;
    }
}
