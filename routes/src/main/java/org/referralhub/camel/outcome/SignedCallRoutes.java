package org.referralhub.camel.outcome;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.outcome.SignedCall;

/**
 * The signed webhook calls the hub makes outside deliveries — notices to agencies, reminders and erasure requests to
 * partners: one route, and the {@link SignedCall.Sender} the notice work is given to make them.
 */
public final class SignedCallRoutes extends RouteBuilder implements SignedCall.Sender {

    private static final String URL = "signedCallUrl";
    private volatile ProducerTemplate producer;

    @Override
    public void configure() {
        // a failed call is recorded and retried by whoever made it: nothing for Camel to log or redeliver. The URL is
        // an agency's or partner's webhook from the configuration, as every delivery's
        // KNOWN DEFECT (issue 19, item 3): the URL is configuration an administrator sets, and toD resolves it as a
        // Camel endpoint — placeholders and endpoint options in it are honoured. To be replaced by a plain HTTPS client
        // with fixed options and a URL checked when saved; kept as it was while the house was reshaped.
        from(Endpoints.SIGNED_CALL).routeId("signed-call").errorHandler(noErrorHandler())
                .process(this::prepare)
                .toD("${exchangeProperty." + URL + "}");
    }

    private void prepare(Exchange exchange) throws InvalidPayloadException {
        SignedCall call = exchange.getMessage().getMandatoryBody(SignedCall.class);
        var message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(WebhookSignature.ID_HEADER, call.id());
        message.setHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(call.timestamp()));
        message.setHeader(WebhookSignature.SIGNATURE_HEADER, call.signature());
        message.setHeader("User-Agent", "referral-hub/1");
        message.setBody(call.body());
        exchange.setProperty(URL, call.url());
    }

    /** Makes one signed call through the route; throws unless the receiver answered 2xx. */
    @Override
    public void send(SignedCall call) {
        if (producer == null) {
            producer = getContext().createProducerTemplate();
        }
        Exchange sent = producer.request(Endpoints.SIGNED_CALL, e -> e.getMessage().setBody(call));
        if (sent.getException() != null) {
            throw new IllegalStateException("the webhook did not take the call", sent.getException());
        }
    }
}
