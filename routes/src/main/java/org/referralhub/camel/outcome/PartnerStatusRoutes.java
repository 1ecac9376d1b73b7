package org.referralhub.camel.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.archive.RawArchive;
import org.referralhub.archive.RawPayload;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.camel.SignInLimit;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.Partner;
import org.referralhub.intake.WebhookPayload;
import org.referralhub.outcome.Outcomes;
import org.referralhub.outcome.StatusLinkPage;
import org.referralhub.outcome.StatusLinks;
import org.referralhub.outcome.StatusReports;
import org.referralhub.outcome.StatusUpdate;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Output;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.store.IdempotencyRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partners' door: a partner reports what became of a referral ({@code POST /v1/partner/referrals/{id}/status},
 * with its API key), or opens a status link from a delivery e-mail. The report is archived before it is read, applied
 * to the referral, and the referring agency's notices queued with it ({@link StatusReports}).
 */
public final class PartnerStatusRoutes extends RouteBuilder {

    /** Failed status links are counted under their own door. */
    private static final String LINK_DOOR = "status-link";
    private static final Logger LOG = LoggerFactory.getLogger(PartnerStatusRoutes.class);
    private static final int MAX_STATUS_BYTES = 16 * 1024;

    private final PartnerDoor door;
    private final ConfigurationSource configs;
    private final SignInLimit signIns;
    private final RawArchive archive;
    private final StatusReports reports;
    private final StatusLinks links;
    private final IdempotencyRecords records;
    private final Clock clock;

    public PartnerStatusRoutes(PartnerDoor door, ConfigurationSource configs, SignInLimit signIns, RawArchive archive,
                               StatusReports reports, StatusLinks links, IdempotencyRecords records, Clock clock) {
        this.door = door;
        this.configs = configs;
        this.signIns = signIns;
        this.archive = archive;
        this.reports = reports;
        this.links = links;
        this.records = records;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(Endpoints.PARTNER_STATUS).routeId("partner-status").routeConfigurationId(ApiErrorHandling.ID)
                .process(door::signIn)
                .process(this::reportStatus);

        from(Endpoints.STATUS_LINK).routeId("status-link").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::statusLink);
    }

    private void reportStatus(Exchange exchange) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        Partner partner = PartnerDoor.partner(exchange);
        if (request.body().length > MAX_STATUS_BYTES) {
            throw new ApiProblem(413, "too-large", "Payload too large", "A status update is at most " + MAX_STATUS_BYTES + " bytes.");
        }
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String receiptId = ReferralIds.newId(receivedAt);
        archive.store(new RawPayload(receiptId, Channel.WEBHOOK, "partner-" + partner.id(), receivedAt,
                request.header("content-type"), request.body()));
        exchange.setProperty(ApiRequest.RECEIPT_ID, receiptId);
        JsonNode body;
        try {
            body = WebhookPayload.read(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new ApiProblem(400, "malformed", "Malformed status update",
                    "Send JSON: {\"status\": ..., \"businessStatus\": ..., \"reason\": ..., \"date\": \"2026-11-23T14:00:00Z\"}.");
        }
        List<Output> outputs;
        try {
            outputs = StatusUpdate.outputs(body.get("outputs"));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "malformed", "Malformed status update", e.getMessage());
        }
        StatusUpdate update = new StatusUpdate(request.pathParameters().get("id"), text(body, "status"),
                text(body, "businessStatus"), text(body, "reason"), ApiRequest.date(text(body, "date")), outputs);
        String key = request.header("idempotency-key");
        String scope = "status:" + partner.id();
        if (key != null && !key.isBlank()) {
            // the same report sent again (a timeout, a retry) is answered as the first time, not applied twice
            IdempotencyRecords.Claim claim = records.begin(scope, key, receiptId, receivedAt, Duration.ofSeconds(30),
                    Duration.ofDays(7));
            if (claim instanceof IdempotencyRecords.Completed done) {
                exchange.getMessage().setBody(new ApiReply(200, Map.of("Content-Type", "application/json",
                        "Idempotent-Replayed", "true"), done.result()));
                return;
            }
            if (claim instanceof IdempotencyRecords.InProgress) {
                throw new ApiProblem(409, "in-progress", "The same report is being applied",
                        "A report with this Idempotency-Key is being applied right now; send it again in a moment.")
                        .retryAfter(1);
            }
        } else {
            key = null;
        }
        try {
            Referral referral = reports.report(partner, update);
            LOG.info("partner {} reported referral {}: {} / {}", partner.id(), referral.referralId(),
                    referral.status().code(), referral.businessStatus());
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("referralId", referral.referralId());
            reply.put("status", referral.status().code());
            reply.put("businessStatus", referral.businessStatus());
            reply.put("statusReason", referral.statusReason());
            reply.put("receiptId", receiptId);
            ApiReply answer = ApiReply.json(200, reply);
            if (key != null) {
                records.complete(scope, key, receiptId, answer.body(), clock.instant(), Duration.ofDays(7));
            }
            exchange.getMessage().setBody(answer);
        } catch (RuntimeException failed) {
            if (key != null) {
                records.release(scope, key, receiptId);
            }
            if (failed instanceof Outcomes.RefusedUpdate refused) {
                refuse(partner, update, refused);
            }
            throw failed;
        }
    }

    private static void refuse(Partner partner, StatusUpdate update, Outcomes.RefusedUpdate refused) {
        LOG.info("partner {} report on referral {} refused: {}", partner.id(), update.referralId(), refused.code());
        throw problem(refused);
    }

    /** A report the lifecycle refuses, as the partner is answered on every door: 404, 409 or 422 with the reason. */
    static ApiProblem problem(Outcomes.RefusedUpdate refused) {
        int status = switch (refused.code()) {
            case "not-found", "not-yours" -> 404;
            case "invalid-transition", "closed", "not-delivered" -> 409;
            default -> 422;
        };
        return new ApiProblem(new ApiProblem.Body("/problems/" + refused.code(),
                status == 404 ? "No such referral" : "The update cannot be applied", status,
                status == 404 ? "You have no referral with this id." : refused.getMessage(), null, null, null));
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * A status link from a delivery e-mail: GET shows what it would report and a button; POST (the button) reports
     * it. Both answer HTML; nothing from the request is echoed unescaped.
     */
    private void statusLink(Exchange exchange) throws InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        Instant now = clock.instant();
        if (signIns.attempts().blockedUntil(LINK_DOOR, request.sourceIp()).isPresent()) {
            exchange.getMessage().setBody(page(429, "Too many attempts", "This address tried too many links that "
                    + "do not work; try again later."));
            return;
        }
        var claim = links.verify(request.pathParameters().get("token"), now);
        Partner partner = claim.flatMap(c -> configs.current().partner(c.partnerId())).orElse(null);
        if (claim.isEmpty() || partner == null) {
            signIns.attempts().failed(LINK_DOOR, request.sourceIp());
            exchange.getMessage().setBody(page(410, "This link cannot be used",
                    "It has expired or is not a link the referral hub made. Report the status with your partner API "
                            + "key or a status file, or ask the program for a new link."));
            return;
        }
        String referralId = claim.get().referralId();
        String milestone = claim.get().businessStatus();
        if (!"POST".equalsIgnoreCase(request.method())) {
            exchange.getMessage().setBody(page(200, "Report referral " + referralId + " as " + milestone + "?",
                    "<form method=\"post\"><button type=\"submit\">Yes, report " + StatusLinkPage.escape(milestone) + "</button></form>"));
            return;
        }
        try {
            Referral referral = reports.report(partner, new StatusUpdate(referralId, null, milestone, "reported by e-mail link", now));
            LOG.info("partner {} reported referral {} by e-mail link: {}", partner.id(), referralId, milestone);
            exchange.getMessage().setBody(page(200, "Thank you", "Referral " + StatusLinkPage.escape(referralId) + " is now "
                    + StatusLinkPage.escape(referral.status().code()) + " (" + StatusLinkPage.escape(milestone) + "). The referring agency is told."));
        } catch (Outcomes.RefusedUpdate refused) {
            exchange.getMessage().setBody(page(409, "This cannot be reported", StatusLinkPage.escape(refused.getMessage())));
        }
    }

    /** A status link's page, answered as HTML that runs nothing. */
    private static ApiReply page(int status, String title, String content) {
        return new ApiReply(status, Map.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store",
                "Content-Security-Policy", StatusLinkPage.CONTENT_SECURITY_POLICY), StatusLinkPage.of(title, content));
    }
}
