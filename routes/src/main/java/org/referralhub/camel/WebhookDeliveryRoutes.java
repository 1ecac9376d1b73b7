package org.referralhub.camel;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.config.Partner;
import org.referralhub.delivery.DeliveryLedger;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;

/**
 * Delivery to a partner webhook: the referral as the partner sees it, signed in the Standard Webhooks style, with
 * the delivery's idempotency id as {@code webhook-id} and {@code Idempotency-Key} on every attempt.
 */
public final class WebhookDeliveryRoutes extends RouteBuilder {

    static final String PARTNER_URL = "partnerUrl";

    private final HubServices hub;
    private final DeliveryLedger ledger;

    public WebhookDeliveryRoutes(HubServices hub, DeliveryLedger ledger) {
        this.hub = hub;
        this.ledger = ledger;
    }

    @Override
    public void configure() {
        from(Endpoints.DELIVER_WEBHOOK).routeId("deliver-webhook").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::sign)
                .toD("${exchangeProperty." + PARTNER_URL + "}")
                .process(this::recordDelivered);
    }

    private void sign(Exchange exchange) {
        Referral referral = exchange.getProperty(DispatchRoutes.REFERRAL, Referral.class);
        Partner partner = exchange.getProperty(DispatchRoutes.PARTNER, Partner.class);
        String agencyName = hub.config().agency(referral.agencyId()).map(a -> a.name()).orElse(referral.agencyId());
        String body = CanonicalJson.write(PartnerReferral.of(referral, agencyName).selecting(partner.fields()));
        String deliveryId = referral.delivery().idempotencyId();
        long timestamp = hub.clock().instant().getEpochSecond();
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(WebhookSignature.ID_HEADER, deliveryId);
        message.setHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        message.setHeader(WebhookSignature.SIGNATURE_HEADER,
                new WebhookSignature(partner.intake().signingSecret()).sign(deliveryId, timestamp, body));
        message.setHeader("Idempotency-Key", deliveryId);
        message.setHeader("User-Agent", "referral-hub/1");
        message.setBody(body);
        exchange.setProperty(PARTNER_URL, partner.intake().url());
    }

    private void recordDelivered(Exchange exchange) {
        Referral referral = exchange.getProperty(DispatchRoutes.REFERRAL, Referral.class);
        ledger.delivered(referral.referralId(), exchange.getProperty(DispatchRoutes.PARTNER, Partner.class),
                Channel.WEBHOOK, exchange.getProperty(DispatchRoutes.ATTEMPT_STARTED, java.time.Instant.class),
                exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
    }
}
