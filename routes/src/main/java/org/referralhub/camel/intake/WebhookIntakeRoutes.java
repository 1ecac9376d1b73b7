package org.referralhub.camel.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.Agency;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.store.ReferralStore;

/**
 * The webhook channel: agencies post referrals as JSON in their own shape. Through the agency door (who calls, the
 * size, the raw archive), then read by the webhook's reader, assembled, and stored once.
 */
public final class WebhookIntakeRoutes extends RouteBuilder {

    private static final String NOT_READ = "notRead";

    private final AgencyDoor door;
    private final ChannelReader reader;
    private final ReferralIntake intake;

    /** @param reader the webhook's reading (one JSON object through the agency's webhook mapping) */
    public WebhookIntakeRoutes(AgencyDoor door, ChannelReader reader, ReferralIntake intake) {
        this.door = door;
        this.reader = reader;
        this.intake = intake;
    }

    @Override
    public void configure() {
        from(Endpoints.WEBHOOK_INTAKE).routeId("webhook-intake").routeConfigurationId(ApiErrorHandling.ID)
                .process(door::signIn)
                .process(door::admit)
                .process(this::checkContentType)
                .process(this::assemble)
                .to(Endpoints.STORE_REFERRAL)
                .process(this::replyAccepted);
    }

    private void checkContentType(Exchange exchange) {
        String type = AgencyDoor.request(exchange).header("content-type");
        String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new ApiProblem(415, "unsupported-media-type", "Unsupported content type",
                    "Send the referral as JSON with Content-Type: application/json.");
        }
    }

    /** The body read through the agency's webhook mapping into one draft, assembled into a referral. */
    private void assemble(Exchange exchange) {
        AgencyDoor.Caller caller = AgencyDoor.caller(exchange);
        AgencyDoor.Arrival arrival = AgencyDoor.arrival(exchange);
        ApiRequest request = AgencyDoor.request(exchange);
        Agency agency = caller.agency();
        List<ChannelReader.Labelled> drafts = new ArrayList<>();
        try {
            reader.read(agency, null, request.body(), new ChannelReader.Found() {
                @Override
                public void draft(ChannelReader.Labelled draft) {
                    drafts.add(draft);
                }

                @Override
                public void problem(String problem) {
                    throw new ChannelReader.Unreadable(problem);
                }
            });
        } catch (ChannelReader.Unreadable unreadable) {
            throw new ApiProblem(400, "malformed", "Malformed referral", unreadable.getMessage());
        }
        ReferralIntake.Receipt receipt = new ReferralIntake.Receipt(ReferralIds.newId(arrival.receivedAt()), agency,
                Channel.WEBHOOK, agency.webhookMapping(), arrival.receivedAt(), arrival.rawPayloadRef());
        exchange.getMessage().setBody(intake.assemble(receipt, drafts.get(0).draft()));
        exchange.setProperty(NOT_READ, drafts.get(0).draft().notRead());
        AgencyDoor.keyRequest(exchange);
    }

    private void replyAccepted(Exchange exchange) throws InvalidPayloadException {
        ReferralStore.Stored stored = exchange.getMessage().getMandatoryBody(ReferralStore.Stored.class);
        Referral referral = stored.referral();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("referralId", referral.referralId());
        body.put("status", referral.status().code());
        if (referral.statusReason() != null) {
            body.put("statusReason", referral.statusReason());
        }
        body.put("partnerId", referral.partnerId());
        body.put("deliveryState", referral.delivery() == null ? null : referral.delivery().state().code());
        body.put("duplicate", stored.duplicate());
        if (!referral.screening().reasons().isEmpty()) {
            body.put("screening", referral.screening());
        }
        List<?> notRead = exchange.getProperty(NOT_READ, List.class);
        if (notRead != null && !notRead.isEmpty()) {
            // the body's top-level fields the agency's mapping reads nothing from, each with its probable field
            body.put("notRead", notRead);
        }
        body.put("receiptId", exchange.getProperty(ApiRequest.RECEIPT_ID));
        exchange.getMessage().setBody(ApiReply.json(202, body)
                .withHeader("Location", "/v1/referrals/" + referral.referralId()));
    }
}
