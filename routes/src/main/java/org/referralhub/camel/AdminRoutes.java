package org.referralhub.camel;

import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.admin.Sandbox;
import org.referralhub.config.HubConfiguration;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrators' API, under {@code /admin/v1/}. Authenticated apart from agencies: a bearer token of an
 * administrator in the configuration, or — in AWS, where the admin routes are IAM-authorized — the IAM principal API
 * Gateway verified (the handler passes it in the {@code x-hub-iam-principal} pseudo-header only then).
 */
public final class AdminRoutes extends RouteBuilder {

    /** Set by the admin handler from API Gateway's IAM authorizer context, never from the client's headers. */
    public static final String IAM_PRINCIPAL = "x-hub-iam-principal";
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    private final HubServices hub;
    private final Sandbox sandbox;

    public AdminRoutes(HubServices hub) {
        this.hub = hub;
        this.sandbox = new Sandbox(hub.config(), hub.intake(), hub.clock());
    }

    @Override
    public void configure() {
        from(Endpoints.ADMIN_SANDBOX).routeId("admin-sandbox").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::authenticate)
                .process(this::runSandbox);
    }

    private void authenticate(Exchange exchange) throws InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        String principal = request.header(IAM_PRINCIPAL);
        if (principal != null && !principal.isBlank()) {
            exchange.setProperty("admin", principal);
            return;
        }
        String authorization = request.header("authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiProblem(401, "unauthenticated", "Missing admin token",
                    "Send an administrator's token as Authorization: Bearer <token>.");
        }
        HubConfiguration.Admin admin = hub.config().adminByTokenHash(Sha256.hex(authorization.substring(7).trim()))
                .orElseThrow(() -> {
                    LOG.warn("refused an unknown admin token from {}", request.sourceIp());
                    return new ApiProblem(401, "unauthenticated", "Unknown admin token",
                            "The token is not a current administrator's token.");
                });
        exchange.setProperty("admin", admin.name());
    }

    private void runSandbox(Exchange exchange) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        Sandbox.Request sample;
        try {
            sample = CanonicalJson.MAPPER.readValue(request.body(), Sandbox.Request.class);
        } catch (IOException e) {
            throw new ApiProblem(400, "malformed", "Malformed sandbox request",
                    "Send JSON: {\"agencyId\": ..., \"channel\": \"webhook|file|email\", \"fileName\": ..., "
                            + "\"content\": ... or \"contentBase64\": ...}.");
        }
        try {
            Sandbox.Result result = sandbox.run(sample);
            LOG.info("sandbox run by {} for agency {}: {} would be accepted, {} refused",
                    exchange.getProperty("admin"), result.agencyId(), result.accepted(), result.rejected());
            exchange.getMessage().setBody(ApiReply.json(200, result));
        } catch (Sandbox.BadSample bad) {
            throw new ApiProblem(400, "bad-sample", "The sample cannot be tried", bad.getMessage());
        }
    }
}
