package org.referralhub.camel.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
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
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.intake.WebhookPayload;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.store.ReferralStore;

/**
 * The webhook channel: agencies post referrals as JSON in their own shape. Through the agency door (who calls, the
 * size, the raw archive), then the JSON read, mapped and assembled, and stored once.
 */
public final class WebhookIntakeRoutes extends RouteBuilder {

    public static final String IDEMPOTENCY_KEY_HEADER = "idempotency-key";
    private static final String PAYLOAD = "payload";

    private final AgencyDoor door;
    private final ReferralIntake intake;

    public WebhookIntakeRoutes(AgencyDoor door, ReferralIntake intake) {
        this.door = door;
        this.intake = intake;
    }

    @Override
    public void configure() {
        from(Endpoints.WEBHOOK_INTAKE).routeId("webhook-intake").routeConfigurationId(ApiErrorHandling.ID)
                .process(door::signIn)
                .process(door::admit)
                .process(this::checkContentType)
                .process(this::parse)
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

    private void parse(Exchange exchange) {
        try {
            JsonNode payload = WebhookPayload.read(AgencyDoor.request(exchange).body());
            if (payload == null || !payload.isObject()) {
                throw new ApiProblem(400, "malformed", "Malformed referral", "The body must be one JSON object.");
            }
            exchange.setProperty(PAYLOAD, payload);
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the input; say only where it broke.
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ApiProblem(400, "malformed", "Malformed referral", "The body is not valid JSON" + where + ".");
        } catch (IOException e) {
            throw new ApiProblem(400, "malformed", "Malformed referral", "The body could not be read as JSON.");
        }
    }

    private void assemble(Exchange exchange) {
        AgencyDoor.Caller caller = AgencyDoor.caller(exchange);
        AgencyDoor.Arrival arrival = AgencyDoor.arrival(exchange);
        Agency agency = caller.agency();
        ReferralIntake.Receipt receipt = new ReferralIntake.Receipt(ReferralIds.newId(arrival.receivedAt()), agency,
                Channel.WEBHOOK, agency.webhookMapping(), arrival.receivedAt(), arrival.rawPayloadRef());
        Referral referral = intake.assemble(receipt, exchange.getProperty(PAYLOAD, JsonNode.class));
        exchange.getMessage().setBody(referral);
        ApiRequest request = AgencyDoor.request(exchange);
        String idempotencyKey = request.header(IDEMPOTENCY_KEY_HEADER);
        if ((idempotencyKey == null || idempotencyKey.isBlank()) && caller.signed()) {
            // a signed call's message id serves as its Idempotency-Key: a replayed or retried call has no second effect
            idempotencyKey = request.header(WebhookSignature.ID_HEADER);
        }
        exchange.getMessage().setHeader(Endpoints.IDEMPOTENCY_KEY, idempotencyKey);
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
        body.put("receiptId", exchange.getProperty(ApiRequest.RECEIPT_ID));
        exchange.getMessage().setBody(ApiReply.json(202, body)
                .withHeader("Location", "/v1/referrals/" + referral.referralId()));
    }
}
