package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.ApiReply;
import org.referralhub.logging.Correlation;
import org.referralhub.camel.ApiRequest;
import org.referralhub.referral.CanonicalJson;

/**
 * API Gateway HTTP API (payload format 2.0) in and out: the event becomes an {@link ApiRequest}, the route its route
 * key names answers an {@link ApiReply}, which becomes the response. Shared by the agencies' and the
 * administrators' functions.
 */
final class ApiGatewayAdapter {

    private final ProducerTemplate routes;
    private final Map<String, String> endpoints;

    ApiGatewayAdapter(ProducerTemplate routes, Map<String, String> endpoints) {
        this.routes = routes;
        this.endpoints = endpoints;
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        try (Correlation ignored = Correlation.of(event.getRequestContext() == null ? null
                : event.getRequestContext().getRequestId())) {
            return answer(event);
        }
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event) {
        String endpoint = endpoints.get(event.getRouteKey());
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
                http == null ? null : http.getSourceIp(), event.getQueryStringParameters());
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
