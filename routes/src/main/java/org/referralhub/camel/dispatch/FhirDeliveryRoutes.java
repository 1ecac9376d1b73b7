package org.referralhub.camel.dispatch;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.OutboundAddresses;
import org.referralhub.config.PartnerChannel;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.delivery.SecretStore;
import org.referralhub.fhir.FhirResources;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;

/**
 * Delivery to a partner's own FHIR server: the referral created there as a Task ({@code POST [base]/Task}, its
 * ServiceRequest and client contained, as the partner may see them), conditionally on the hub's identifier for the
 * referral ({@code If-None-Exist}), so an attempt repeated after a crash finds the first Task rather than making a
 * second; the delivery's id goes as {@code Idempotency-Key} too. The server's answer must be a FHIR create's — a
 * {@code Location} naming a Task — or the attempt fails and is retried, as any delivery is.
 */
public final class FhirDeliveryRoutes extends RouteBuilder {

    private final ConfigurationSource configs;
    private final SecretStore secrets;
    private final OutboundAddresses outbound;

    /** @param secrets where a partner's bearer token is kept ({@code tokenRef}) */
    public FhirDeliveryRoutes(ConfigurationSource configs, SecretStore secrets,
                              OutboundAddresses outbound) {
        this.configs = configs;
        this.secrets = secrets;
        this.outbound = outbound;
    }

    @Override
    public void configure() {
        from(Endpoints.DELIVER_FHIR).routeId("deliver-fhir").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::prepare)
                .to(Endpoints.OUTBOUND_WEBHOOK)
                .process(this::recordCreated);
    }

    private void prepare(Exchange exchange) {
        ClaimedDelivery claimed = ClaimedDelivery.of(exchange);
        // the dispatcher's match on the partner's channel sends only FHIR partners here
        PartnerChannel.Fhir fhir = (PartnerChannel.Fhir) claimed.partner().intake();
        HubConfiguration config = configs.current();
        Referral referral = claimed.first();
        PartnerReferral view = claimed.views(config).get(0).selecting(claimed.partner().fields());
        String agencyName = config.agency(referral.agencyId()).map(a -> a.name()).orElse(null);
        String programName = config.program(referral.program()).map(p -> p.name()).orElse(null);
        String body = CanonicalJson.write(FhirResources.partnerTask(referral, view, agencyName, claimed.partner().name(),
                programName));
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, FhirResources.FHIR_JSON);
        message.setHeader("Accept", FhirResources.FHIR_JSON);
        message.setHeader("If-None-Exist", FhirResources.partnerTaskCondition(referral));
        message.setHeader("Idempotency-Key", referral.delivery().idempotencyId());
        message.setHeader("User-Agent", "referral-hub/1");
        if (fhir.tokenRef() != null) {
            message.setHeader("Authorization", "Bearer " + new String(secrets.get(fhir.tokenRef()), StandardCharsets.UTF_8).trim());
        }
        message.setBody(body);
        outbound.check(fhir.taskUrl());
        Endpoints.webhookAddress(message, fhir.taskUrl());
    }

    /** A create answered: 201 (or 200 when the Task was there already), with the Task's place on the server. */
    private void recordCreated(Exchange exchange) {
        ClaimedDelivery claimed = ClaimedDelivery.of(exchange);
        String location = exchange.getMessage().getHeader("Location", String.class);
        if (location == null || !location.contains("Task/")) {
            throw new IllegalStateException("the partner's FHIR server answered "
                    + exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE) + " without the Location of a Task: "
                    + "not a FHIR create");
        }
        claimed.delivered(Channel.FHIR,
                exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class), "created as "
                        + location.substring(location.indexOf("Task/")));
    }
}
