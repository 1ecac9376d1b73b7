package org.referralhub.camel.dispatch;

import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.OutboundAddresses;
import org.referralhub.config.PartnerChannel;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;

/**
 * Delivery to a partner webhook: the referral as the partner sees it, signed in the Standard Webhooks style, with
 * the delivery's idempotency id as {@code webhook-id} and {@code Idempotency-Key} on every attempt.
 */
public final class WebhookDeliveryRoutes extends RouteBuilder {

    private final ConfigurationSource configs;
    private final Clock clock;
    private final OutboundAddresses outbound;

    /** Sends anywhere (the local hub, tests). */
    public WebhookDeliveryRoutes(ConfigurationSource configs, Clock clock) {
        this(configs, clock, OutboundAddresses.ANYWHERE);
    }

    /** @param outbound where a partner's webhook may be, checked on its resolved address before each delivery */
    public WebhookDeliveryRoutes(ConfigurationSource configs, Clock clock, OutboundAddresses outbound) {
        this.configs = configs;
        this.clock = clock;
        this.outbound = outbound;
    }

    @Override
    public void configure() {
        from(Endpoints.DELIVER_WEBHOOK).routeId("deliver-webhook").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::sign)
                .to(Endpoints.OUTBOUND_WEBHOOK)
                .process(this::recordDelivered);
    }

    private void sign(Exchange exchange) {
        ClaimedDelivery claimed = ClaimedDelivery.of(exchange);
        // the dispatcher's match on the partner's channel sends only webhook partners here
        PartnerChannel.Webhook webhook = (PartnerChannel.Webhook) claimed.partner().intake();
        PartnerReferral view = claimed.views(configs.current()).get(0);
        String body = CanonicalJson.write(view.selecting(claimed.partner().fields()));
        String deliveryId = claimed.first().delivery().idempotencyId();
        long timestamp = clock.instant().getEpochSecond();
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(WebhookSignature.ID_HEADER, deliveryId);
        message.setHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        message.setHeader(WebhookSignature.SIGNATURE_HEADER,
                new WebhookSignature(webhook.signingSecret()).sign(deliveryId, timestamp, body));
        message.setHeader("Idempotency-Key", deliveryId);
        message.setHeader("User-Agent", "referral-hub/1");
        message.setBody(body);
        outbound.check(webhook.url());
        Endpoints.webhookAddress(message, webhook.url());
    }

    private void recordDelivered(Exchange exchange) {
        ClaimedDelivery.of(exchange).delivered(Channel.WEBHOOK,
                exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class), null);
    }
}
