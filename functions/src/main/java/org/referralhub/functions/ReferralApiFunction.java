package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.hub.Hub;
import org.referralhub.referral.CanonicalJson;

/**
 * The HTTP API of agencies (API Gateway HTTP API, payload format 2.0): turns the event into an {@link ApiRequest},
 * calls the route its route key names, and answers the route's {@link ApiReply}.
 */
public final class ReferralApiFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Route keys as template.yaml declares them, and the route each one calls. */
    public static final Map<String, String> ROUTES = Map.of(
            "POST /v1/referrals", Endpoints.WEBHOOK_INTAKE,
            "GET /v1/referrals/{id}", Endpoints.REFERRAL_READ,
            "GET /health", Endpoints.HEALTH);

    private final ProducerTemplate routes;

    public ReferralApiFunction() {
        this(FunctionRuntime.hub());
    }

    public ReferralApiFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String endpoint = ROUTES.get(event.getRouteKey());
        if (endpoint == null) {
            return response(new ApiReply(404, Map.of("Content-Type", "application/problem+json"),
                    CanonicalJson.write(Map.of("type", "/problems/not-found", "title", "No such resource",
                            "status", 404, "detail", "The hub has no route " + event.getRouteKey() + "."))));
        }
        var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
        byte[] body = event.getBody() == null ? new byte[0]
                : event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                : event.getBody().getBytes(StandardCharsets.UTF_8);
        ApiRequest request = new ApiRequest(http == null ? null : http.getMethod(), event.getRawPath(),
                event.getPathParameters(), event.getHeaders(), body,
                event.getRequestContext() == null ? null : event.getRequestContext().getRequestId(),
                http == null ? null : http.getSourceIp());
        return response(routes.requestBody(endpoint, request, ApiReply.class));
    }

    private static APIGatewayV2HTTPResponse response(ApiReply reply) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(reply.status())
                .withHeaders(reply.headers())
                .withBody(reply.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
