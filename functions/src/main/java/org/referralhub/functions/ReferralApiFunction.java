package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import java.util.Set;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;

/**
 * The HTTP API of agencies (API Gateway HTTP API, payload format 2.0): turns the event into an
 * {@link ApiRequest}, calls the route its route key names, and answers the route's reply.
 */
public final class ReferralApiFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.AGENCY_API, Wing.PARTNER_API);

    /** Route keys as template.yaml declares them, and the route each one calls. */
    public static final Map<String, String> ROUTES = Map.ofEntries(
            Map.entry("POST /v1/referrals", Endpoints.WEBHOOK_INTAKE),
            Map.entry("GET /v1/referrals/{id}", Endpoints.REFERRAL_READ),
            Map.entry("GET /v1/referrals", Endpoints.REFERRAL_LIST),
            Map.entry("POST /v1/referrals/{id}/near-match", Endpoints.NEAR_MATCH_ANSWER),
            Map.entry("POST /v1/partner/referrals/{id}/status", Endpoints.PARTNER_STATUS),
            Map.entry("GET /v1/partner/status-links/{token}", Endpoints.STATUS_LINK),
            Map.entry("POST /v1/partner/status-links/{token}", Endpoints.STATUS_LINK),
            Map.entry("GET /fhir/r4/metadata", Endpoints.FHIR_METADATA),
            Map.entry("POST /fhir/r4", Endpoints.FHIR_REFERRAL_INTAKE),
            Map.entry("GET /fhir/r4/Task", Endpoints.FHIR_PARTNER_READ),
            Map.entry("GET /fhir/r4/Task/{id}", Endpoints.FHIR_PARTNER_READ),
            Map.entry("PUT /fhir/r4/Task/{id}", Endpoints.FHIR_TASK_UPDATE),
            Map.entry("PATCH /fhir/r4/Task/{id}", Endpoints.FHIR_TASK_UPDATE),
            Map.entry("GET /fhir/r4/ServiceRequest/{id}", Endpoints.FHIR_PARTNER_READ),
            Map.entry("ANY /fhir/r4/{proxy+}", Endpoints.FHIR_UNSUPPORTED),
            Map.entry("GET /health", Endpoints.HEALTH),
            Map.entry("GET /openapi.json", Endpoints.OPENAPI),
            Map.entry("GET /openapi.yaml", Endpoints.OPENAPI));

    private final ApiGatewayAdapter adapter;

    public ReferralApiFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public ReferralApiFunction(Hub hub) {
        this.adapter = new ApiGatewayAdapter(hub.producer(), ROUTES);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event);
    }
}
