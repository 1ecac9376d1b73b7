package org.referralhub.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The API Gateway event both cold-start probes handle: CET's form tool posting one referral. */
final class ColdStartEvent {

    private ColdStartEvent() {
    }

    /** The sample referral, made unique by {@code token} (its event id and agency reference). */
    static String body(String token) throws IOException {
        try (InputStream in = ColdStartEvent.class.getClassLoader().getResourceAsStream("samples/cet-formtool.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("01JCFQ7Z8R2M4T6V8X0A2C4E6G", token).replace("cet-7f3a9c21", "cet-" + token);
        }
    }

    static APIGatewayV2HTTPEvent of(String body, String apiKey, String token) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("POST /v1/referrals").withRawPath("/v1/referrals").withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json", "x-api-key", apiKey,
                        "idempotency-key", "formtool-event-" + token, "x-forwarded-for", "203.0.113.24"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey("POST /v1/referrals").withRequestId("cold-" + token)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withPath("/v1/referrals").withSourceIp("203.0.113.24").withProtocol("HTTP/1.1").build())
                        .build())
                .withIsBase64Encoded(false).withBody(body).build();
    }
}
