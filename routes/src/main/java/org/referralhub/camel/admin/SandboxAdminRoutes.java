package org.referralhub.camel.admin;

import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.admin.Sandbox;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.referral.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox: an administrator tries a sample — a webhook body, a file, an e-mail — against an agency's mapping,
 * validation, screening and routing, optionally under a proposed change; nothing is stored or sent.
 */
public final class SandboxAdminRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxAdminRoutes.class);

    private final AdminDoor door;
    private final Sandbox sandbox;

    public SandboxAdminRoutes(AdminDoor door, Sandbox sandbox) {
        this.door = door;
        this.sandbox = sandbox;
    }

    @Override
    public void configure() {
        from(Endpoints.ADMIN_SANDBOX).routeId("admin-sandbox").routeConfigurationId(ApiErrorHandling.ID)
                .process(door::signIn)
                .process(this::run);
    }

    private void run(Exchange exchange) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        Sandbox.Request sample;
        try {
            sample = CanonicalJson.MAPPER.readValue(request.body(), Sandbox.Request.class);
        } catch (IOException e) {
            throw new ApiProblem(400, "malformed", "Malformed sandbox request",
                    "Send JSON: {\"agencyId\": ..., \"channel\": \"webhook|file|email\", \"fileName\": ..., "
                            + "\"content\": ... or \"contentBase64\": ..., \"proposed\": {...}, \"mapping\": ...}.");
        }
        try {
            Sandbox.Result result = sandbox.run(sample);
            LOG.info("sandbox run by {} for agency {}: {} would be accepted, {} refused",
                    AdminDoor.administrator(exchange), result.agencyId(), result.accepted(), result.rejected());
            exchange.getMessage().setBody(ApiReply.json(200, result));
        } catch (Sandbox.BadSample bad) {
            throw new ApiProblem(400, "bad-sample", "The sample cannot be tried", bad.getMessage());
        }
    }
}
