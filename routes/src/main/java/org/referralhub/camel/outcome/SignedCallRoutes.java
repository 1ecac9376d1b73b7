package org.referralhub.camel.outcome;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.OutboundAddresses;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.outcome.SignedCall;

/**
 * The signed webhook calls the hub makes outside deliveries — notices to agencies, reminders and erasure requests to
 * partners: one route, and the {@link SignedCall.Sender} the notice work is given to make them.
 */
public final class SignedCallRoutes extends RouteBuilder implements SignedCall.Sender {

    private volatile ProducerTemplate producer;
    private final OutboundAddresses outbound;

    /** Calls anywhere (the local hub, tests). */
    public SignedCallRoutes() {
        this(OutboundAddresses.ANYWHERE);
    }

    /** @param outbound where an agency's or partner's webhook may be, checked on its resolved address before each call */
    public SignedCallRoutes(OutboundAddresses outbound) {
        this.outbound = outbound;
    }

    @Override
    public void configure() {
        // a failed call is recorded and retried by whoever made it: nothing for Camel to log or redeliver. The URL is
        // an agency's or partner's webhook from the configuration, sent as data as every delivery's
        from(Endpoints.SIGNED_CALL).routeId("signed-call").errorHandler(noErrorHandler())
                .process(this::prepare)
                .to(Endpoints.OUTBOUND_WEBHOOK);
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
        outbound.check(call.url());
        Endpoints.webhookAddress(message, call.url());
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
