package org.referralhub.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.archive.RawPayload;
import org.referralhub.config.Agency;
import org.referralhub.config.ApiKeys;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook channel: agencies post referrals as JSON in their own shape and read them back.
 * Order matters: authenticate, check size, archive the raw body, then parse, so no accepted input is ever lost.
 */
public final class WebhookIntakeRoutes extends RouteBuilder {

    public static final String API_KEY_HEADER = "x-api-key";
    public static final String IDEMPOTENCY_KEY_HEADER = "idempotency-key";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntakeRoutes.class);
    private static final String AGENCY = "agency";
    private static final String RAW_REF = "rawPayloadRef";
    private static final String RECEIVED_AT = "receivedAt";
    private static final String PAYLOAD = "payload";
    private static final ObjectReader JSON_READER;

    static {
        com.fasterxml.jackson.databind.ObjectMapper mapper = CanonicalJson.MAPPER.copy();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(64 * 1024).maxNumberLength(32).build());
        JSON_READER = mapper.readerFor(JsonNode.class);
    }

    /** A webhook body as the route reads it: bounded nesting, string and number sizes. */
    static JsonNode readPayload(byte[] body) throws java.io.IOException {
        return JSON_READER.readValue(body);
    }

    private final HubServices hub;

    public WebhookIntakeRoutes(HubServices hub) {
        this.hub = hub;
    }

    @Override
    public void configure() {
        from(Endpoints.WEBHOOK_INTAKE).routeId("webhook-intake").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::keepRequest)
                .process(this::authenticate)
                .process(this::checkSize)
                .process(this::archive)
                .process(this::checkContentType)
                .process(this::parse)
                .process(this::assemble)
                .to(Endpoints.ACCEPT_REFERRAL)
                .process(this::replyAccepted);

        from(Endpoints.REFERRAL_READ).routeId("referral-read").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::keepRequest)
                .process(this::authenticate)
                .process(this::readReferral);

        from(Endpoints.REFERRAL_LIST).routeId("referral-list").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::keepRequest)
                .process(this::authenticate)
                .process(this::listReferrals);

        from(Endpoints.HEALTH).routeId("health").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::keepRequest)
                .process(e -> {
                    hub.store().checkAvailable();
                    hub.archive().checkAvailable();
                    e.getMessage().setBody(ApiReply.json(200, Map.of("status", "up")));
                });
    }

    private void keepRequest(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        exchange.setProperty(ApiRequest.PROPERTY, exchange.getMessage().getMandatoryBody(ApiRequest.class));
    }

    /** Failed sign-ins with agency keys are counted under this door. */
    static final String DOOR = "agency-key";
    private static final String SIGNED = "signedWebhook";

    private static ApiRequest request(Exchange exchange) {
        return exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
    }

    private void authenticate(Exchange exchange) {
        hub.refuseIfBlocked(DOOR, request(exchange));
        String key = request(exchange).header(API_KEY_HEADER);
        if ((key == null || key.isBlank()) && request(exchange).header(WebhookSignature.SIGNATURE_HEADER) != null) {
            exchange.setProperty(AGENCY, signedBy(request(exchange)));
            exchange.setProperty(SIGNED, true);
            return;
        }
        if (key == null || key.isBlank()) {
            throw new ApiProblem(401, "unauthenticated", "Missing API key",
                    "Send your agency's API key in the X-Api-Key header.");
        }
        Agency agency = hub.config().agencyByKeyHash(ApiKeys.hash(key.trim())).orElse(null);
        if (agency == null) {
            LOG.warn("refused an unknown API key from {}", request(exchange).sourceIp());
            throw hub.failedSignIn(DOOR, request(exchange), new ApiProblem(401, "unauthenticated", "Unknown API key",
                    "The X-Api-Key is not a current key of any agency."));
        }
        exchange.setProperty(AGENCY, agency);
    }

    /**
     * An agency that signs its calls (Standard Webhooks) names itself with {@code ?agency=<id>} in the URL it posts
     * to; the signature must verify with that agency's secret and the timestamp be within five minutes. The message
     * id then serves as the Idempotency-Key, so a replayed or retried call has no second effect.
     */
    private Agency signedBy(ApiRequest request) {
        String agencyId = request.query("agency");
        Agency agency = agencyId == null ? null : hub.config().agency(agencyId)
                .filter(a -> a.signedWebhooks() != null && a.signedWebhooks().signingSecret() != null).orElse(null);
        boolean valid = agency != null && "POST".equalsIgnoreCase(request.method())
                && new WebhookSignature(agency.signedWebhooks().signingSecret()).verify(
                        request.header(WebhookSignature.ID_HEADER), request.header(WebhookSignature.TIMESTAMP_HEADER),
                        request.header(WebhookSignature.SIGNATURE_HEADER),
                        new String(request.body(), java.nio.charset.StandardCharsets.UTF_8), hub.clock().instant());
        if (!valid) {
            LOG.warn("refused a webhook signature from {}", request.sourceIp());
            throw hub.failedSignIn(DOOR, request, new ApiProblem(401, "unauthenticated", "Invalid signature",
                    "The webhook-signature does not verify with the secret of the agency named by ?agency=, or "
                            + "webhook-timestamp is more than five minutes from now."));
        }
        return agency;
    }

    private void checkSize(Exchange exchange) {
        int size = request(exchange).body().length;
        if (size > hub.maxBodyBytes()) {
            throw new ApiProblem(413, "too-large", "Payload too large",
                    "A referral body may be at most " + hub.maxBodyBytes() + " bytes; this one has " + size + ".");
        }
    }

    private void archive(Exchange exchange) {
        ApiRequest request = request(exchange);
        Agency agency = exchange.getProperty(AGENCY, Agency.class);
        Instant receivedAt = hub.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String receiptId = ReferralIds.newId(receivedAt);
        String ref = hub.archive().store(new RawPayload(receiptId, Channel.WEBHOOK, agency.id(), receivedAt,
                request.header("content-type"), request.body()));
        exchange.setProperty(ApiErrorHandling.RECEIPT_ID, receiptId);
        exchange.setProperty(RAW_REF, ref);
        exchange.setProperty(RECEIVED_AT, receivedAt);
    }

    private void checkContentType(Exchange exchange) {
        String type = request(exchange).header("content-type");
        String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new ApiProblem(415, "unsupported-media-type", "Unsupported content type",
                    "Send the referral as JSON with Content-Type: application/json.");
        }
    }

    private void parse(Exchange exchange) {
        try {
            JsonNode payload = readPayload(request(exchange).body());
            if (payload == null || !payload.isObject()) {
                throw new ApiProblem(400, "malformed", "Malformed referral", "The body must be one JSON object.");
            }
            exchange.setProperty(PAYLOAD, payload);
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the input; say only where it broke.
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ApiProblem(400, "malformed", "Malformed referral", "The body is not valid JSON" + where + ".");
        } catch (java.io.IOException e) {
            throw new ApiProblem(400, "malformed", "Malformed referral", "The body could not be read as JSON.");
        }
    }

    private void assemble(Exchange exchange) {
        Agency agency = exchange.getProperty(AGENCY, Agency.class);
        Instant receivedAt = exchange.getProperty(RECEIVED_AT, Instant.class);
        ReferralIntake.Receipt receipt = new ReferralIntake.Receipt(ReferralIds.newId(receivedAt), agency,
                Channel.WEBHOOK, agency.webhookMapping(), receivedAt, exchange.getProperty(RAW_REF, String.class));
        Referral referral = hub.intake().assemble(receipt, exchange.getProperty(PAYLOAD, JsonNode.class));
        exchange.getMessage().setBody(referral);
        String idempotencyKey = request(exchange).header(IDEMPOTENCY_KEY_HEADER);
        if ((idempotencyKey == null || idempotencyKey.isBlank()) && exchange.getProperty(SIGNED, false, Boolean.class)) {
            idempotencyKey = request(exchange).header(WebhookSignature.ID_HEADER);
        }
        exchange.getMessage().setHeader(IntakeRoutes.IDEMPOTENCY_KEY, idempotencyKey);
    }

    private void replyAccepted(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
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
        body.put("receiptId", exchange.getProperty(ApiErrorHandling.RECEIPT_ID));
        exchange.getMessage().setBody(ApiReply.json(202, body)
                .withHeader("Location", "/v1/referrals/" + referral.referralId()));
    }

    /** The agency's own referrals, newest first: filters status, partner, from, to; limit and cursor page them. */
    private void listReferrals(Exchange exchange) {
        Agency agency = exchange.getProperty(AGENCY, Agency.class);
        ApiRequest request = request(exchange);
        Instant to = request.query("to") == null ? hub.clock().instant().plusSeconds(1) : OutcomeRoutes.date(request.query("to"));
        Instant from = request.query("from") == null ? Instant.EPOCH : OutcomeRoutes.date(request.query("from"));
        int limit;
        try {
            limit = request.query("limit") == null ? 25 : Integer.parseInt(request.query("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 100) {
            throw new ApiProblem(400, "malformed", "Bad limit", "limit is a whole number from 1 to 100.");
        }
        if (!from.isBefore(to)) {
            throw new ApiProblem(400, "malformed", "Bad period", "from must be before to.");
        }
        java.util.Set<String> statuses = request.query("status") == null ? java.util.Set.of()
                : java.util.Set.of(request.query("status").split(","));
        String partner = request.query("partner");
        java.util.function.Predicate<Referral> filter = r -> (statuses.isEmpty() || statuses.contains(r.status().code()))
                && (partner == null || partner.equals(r.partnerId()));
        ReferralStore.AgencyPage page;
        try {
            page = hub.store().agencyPage(agency.id(), from, to, request.query("cursor"), limit, filter);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "malformed", "Bad cursor", "Send the cursor of the page before as it came.");
        }
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (Referral r : page.referrals()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("referralId", r.referralId());
            item.put("agencyReference", r.source().agencyReference());
            item.put("receivedAt", r.source().receivedAt());
            item.put("channel", r.source().channel());
            item.put("status", r.status().code());
            item.put("businessStatus", r.businessStatus());
            item.put("partnerId", r.partnerId());
            item.put("deliveryState", r.delivery() == null ? null : r.delivery().state().code());
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("referrals", items);
        body.put("next", page.next());
        exchange.getMessage().setBody(ApiReply.json(200, body));
    }

    private void readReferral(Exchange exchange) {
        Agency agency = exchange.getProperty(AGENCY, Agency.class);
        String id = request(exchange).pathParameters().get("id");
        Referral referral = ReferralIds.isWellFormed(id) ? hub.store().find(id)
                .filter(r -> agency.id().equals(r.agencyId())).orElse(null) : null;
        if (referral == null) {
            throw new ApiProblem(404, "not-found", "No such referral",
                    "Your agency has no referral with this id.");
        }
        exchange.getMessage().setBody(ApiReply.json(200, referral));
    }
}
