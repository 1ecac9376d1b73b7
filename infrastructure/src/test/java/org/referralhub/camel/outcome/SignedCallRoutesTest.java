package org.referralhub.camel.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.outcome.SignedCall;

/**
 * The outcome wing's outgoing calls: a notice, reminder or erasure request leaves as a Standard Webhooks call the
 * receiver can verify with its secret, and a receiver that does not take it is a failure for the caller to retry.
 */
class SignedCallRoutesTest extends CamelTestSupport {

    private static final String SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=";
    private final SignedCallRoutes calls = new SignedCallRoutes();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return calls;
    }

    @Test
    void aCallIsSignedSoTheReceiverCanVerifyIt() throws Exception {
        AdviceWith.adviceWith(context, "signed-call", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().to("mock:receiver"));
        context.start();
        Instant now = Instant.now();
        MockEndpoint receiver = getMockEndpoint("mock:receiver");

        calls.send(SignedCall.of("https://agency.example/notices", SECRET, "ntc_1", "{\"type\":\"referral.updated\"}", now));

        assertThat(receiver.getReceivedCounter()).isEqualTo(1);
        var message = receiver.getReceivedExchanges().get(0).getMessage();
        assertThat(message.getHeader(WebhookSignature.ID_HEADER)).isEqualTo("ntc_1");
        assertThat(new WebhookSignature(SECRET).verify("ntc_1", message.getHeader(WebhookSignature.TIMESTAMP_HEADER, String.class),
                message.getHeader(WebhookSignature.SIGNATURE_HEADER, String.class), message.getBody(String.class), now))
                .isTrue();
    }

    @Test
    void aReceiverThatRefusesTheCallFailsIt() throws Exception {
        AdviceWith.adviceWith(context, "signed-call", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().to("mock:receiver"));
        context.start();
        getMockEndpoint("mock:receiver").whenAnyExchangeReceived(e -> {
            throw new HttpOperationFailedException("https://agency.example/notices", 503, "Unavailable", null, null, null);
        });

        assertThatThrownBy(() -> calls.send(SignedCall.of("https://agency.example/notices", SECRET, "ntc_2", "{}",
                Instant.now()))).isInstanceOf(IllegalStateException.class);
    }
}
