package org.referralhub.camel.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.referralhub.config.OutboundAddresses;
import org.referralhub.outcome.SignedCall;

/**
 * In AWS a signed call (a notice, a reminder, an erasure request) is never made to the hub's own network: the
 * address is checked as it resolves when the call is made, and refused before anything is sent.
 */
class PublicCallsOnlyTest extends CamelTestSupport {

    private static final String SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=";
    private final SignedCallRoutes calls = new SignedCallRoutes(OutboundAddresses.PUBLIC);

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return calls;
    }

    @Test
    void aCallToTheMetadataServiceOrLoopbackIsRefusedBeforeAnythingIsSent() throws Exception {
        AdviceWith.adviceWith(context, "signed-call", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().to("mock:receiver"));
        context.start();
        for (String url : new String[] {"https://169.254.169.254/latest/meta-data", "http://127.0.0.1:8080/notices"}) {
            assertThatThrownBy(() -> calls.send(SignedCall.of(url, SECRET, "ntc_1", "{}", Instant.now())))
                    .as(url).hasStackTraceContaining("the webhook's address is");
        }
        assertThat(getMockEndpoint("mock:receiver").getReceivedCounter()).isZero();
    }
}
