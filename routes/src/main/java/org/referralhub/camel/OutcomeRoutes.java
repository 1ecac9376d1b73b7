package org.referralhub.camel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.archive.RawPayload;
import org.referralhub.config.Agency;
import org.referralhub.config.ApiKeys;
import org.referralhub.config.Partner;
import org.referralhub.delivery.RetrySchedule;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.email.OutboundEmail;
import org.referralhub.files.CsvText;
import org.referralhub.files.FileDropStore;
import org.referralhub.outcome.Notice;
import org.referralhub.outcome.Outcomes;
import org.referralhub.outcome.StaleReferrals;
import org.referralhub.outcome.StatusReports;
import org.referralhub.store.IdempotencyRecords;
import org.referralhub.outcome.StatusUpdate;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.store.NoticeOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop closed: partners report what became of a referral ({@code POST /v1/partner/referrals/{id}/status}), and
 * the referring agency is told on its own channels — a signed webhook call, an e-mail (or a daily digest), rows in
 * a status file in its SFTP {@code results/} folder. Notices wait in the outbox until sent; the sweep sends them.
 */
public final class OutcomeRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRoutes.class);
    private static final String URL = "noticeUrl";
    private static final int MAX_ATTEMPTS = 10;
    private static final int MAX_STATUS_BYTES = 16 * 1024;

    private final HubServices hub;
    private final StatusReports reports;
    private final NoticeOutbox outbox;
    private final FileDropStore fileDrop;
    private final RetrySchedule retries;
    private ProducerTemplate producer;
    private final StaleReferrals stale = new StaleReferrals();
    private volatile Instant lastStaleSweep;

    private final IdempotencyRecords records;

    public OutcomeRoutes(HubServices hub, StatusReports reports, NoticeOutbox outbox, FileDropStore fileDrop,
                         IdempotencyRecords records) {
        this.records = records;
        this.hub = hub;
        this.reports = reports;
        this.outbox = outbox;
        this.fileDrop = fileDrop;
        this.retries = new RetrySchedule(hub.config().delivery());
    }

    @Override
    public void configure() {
        from(Endpoints.PARTNER_STATUS).routeId("partner-status").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::reportStatus);

        from(Endpoints.STATUS_LINK).routeId("status-link").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::statusLink);

        from(Endpoints.PARTNER_ERASURE).routeId("partner-erasure")
                .process(this::tellOfErasure);

        from(Endpoints.STALE_SWEEP).routeId("stale-sweep")
                .process(this::sweepStale);

        from(Endpoints.NOTIFY_DUE).routeId("notify-due")
                .process(this::sendDue);

        // a failed call is recorded and retried by the outbox: nothing for Camel to log or redeliver
        from(Endpoints.NOTIFY_WEBHOOK).routeId("notify-webhook").errorHandler(noErrorHandler())
                .toD("${exchangeProperty." + URL + "}");
    }

    // ---- partners report

    private void reportStatus(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        Partner partner = partner(request);
        if (request.body().length > MAX_STATUS_BYTES) {
            throw new ApiProblem(413, "too-large", "Payload too large", "A status update is at most " + MAX_STATUS_BYTES + " bytes.");
        }
        Instant receivedAt = hub.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        String receiptId = ReferralIds.newId(receivedAt);
        hub.archive().store(new RawPayload(receiptId, Channel.WEBHOOK, "partner-" + partner.id(), receivedAt,
                request.header("content-type"), request.body()));
        exchange.setProperty(ApiErrorHandling.RECEIPT_ID, receiptId);
        JsonNode body;
        try {
            body = CanonicalJson.MAPPER.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new ApiProblem(400, "malformed", "Malformed status update",
                    "Send JSON: {\"status\": ..., \"businessStatus\": ..., \"reason\": ..., \"date\": \"2026-11-23T14:00:00Z\"}.");
        }
        StatusUpdate update = new StatusUpdate(request.pathParameters().get("id"), text(body, "status"),
                text(body, "businessStatus"), text(body, "reason"), date(text(body, "date")));
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
                records.complete(scope, key, receiptId, answer.body(), hub.clock().instant(), Duration.ofDays(7));
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
        {
            int status = switch (refused.code()) {
                case "not-found", "not-yours" -> 404;
                case "invalid-transition", "closed", "not-delivered" -> 409;
                default -> 422;
            };
            LOG.info("partner {} report on referral {} refused: {}", partner.id(), update.referralId(), refused.code());
            throw new ApiProblem(new ApiProblem.Body("/problems/" + refused.code(),
                    status == 404 ? "No such referral" : "The update cannot be applied", status,
                    status == 404 ? "You have no referral with this id." : refused.getMessage(), null, null, null));
        }
    }

    private Partner partner(ApiRequest request) {
        hub.refuseIfBlocked("partner-key", request);
        String key = request.header("x-api-key");
        if (key == null || key.isBlank()) {
            throw new ApiProblem(401, "unauthenticated", "Missing API key", "Send your partner API key in the X-Api-Key header.");
        }
        return hub.config().partnerByKeyHash(ApiKeys.hash(key.trim())).orElseThrow(() -> {
            LOG.warn("refused an unknown partner API key from {}", request.sourceIp());
            return hub.failedSignIn("partner-key", request, new ApiProblem(401, "unauthenticated", "Unknown API key",
                    "The X-Api-Key is not a current key of any partner."));
        });
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** An ISO instant, or a date (the start of that day, UTC), or null; a 400 for anything else. */
    static Instant date(String text) {
        try {
            return StatusUpdate.date(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "malformed", "Malformed date",
                    "date is an ISO-8601 date (2026-11-23) or instant (2026-11-23T14:00:00Z).");
        }
    }

    /**
     * A status link from a delivery e-mail: GET shows what it would report and a button; POST (the button) reports
     * it. Both answer HTML; nothing from the request is echoed unescaped.
     */
    private void statusLink(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        Instant now = hub.clock().instant();
        if (hub.attempts().blockedUntil("status-link", request.sourceIp()).isPresent()) {
            exchange.getMessage().setBody(page(429, "Too many attempts", "This address tried too many links that "
                    + "do not work; try again later."));
            return;
        }
        var claim = hub.links().verify(request.pathParameters().get("token"), now);
        Partner partner = claim.flatMap(c -> hub.config().partner(c.partnerId())).orElse(null);
        if (claim.isEmpty() || partner == null) {
            hub.attempts().failed("status-link", request.sourceIp());
            exchange.getMessage().setBody(page(410, "This link cannot be used",
                    "It has expired or is not a link the referral hub made. Report the status with your partner API "
                            + "key or a status file, or ask the program for a new link."));
            return;
        }
        String referralId = claim.get().referralId();
        String milestone = claim.get().businessStatus();
        if (!"POST".equalsIgnoreCase(request.method())) {
            exchange.getMessage().setBody(page(200, "Report referral " + referralId + " as " + milestone + "?",
                    "<form method=\"post\"><button type=\"submit\">Yes, report " + html(milestone) + "</button></form>"));
            return;
        }
        try {
            Referral referral = reports.report(partner, new StatusUpdate(referralId, null, milestone, "reported by e-mail link", now));
            LOG.info("partner {} reported referral {} by e-mail link: {}", partner.id(), referralId, milestone);
            exchange.getMessage().setBody(page(200, "Thank you", "Referral " + html(referralId) + " is now "
                    + html(referral.status().code()) + " (" + html(milestone) + "). The referring agency is told."));
        } catch (Outcomes.RefusedUpdate refused) {
            exchange.getMessage().setBody(page(409, "This cannot be reported", html(refused.getMessage())));
        }
    }

    /** A small accessible HTML page; {@code title} is escaped here, {@code content} is already safe. */
    private static ApiReply page(int status, String title, String content) {
        String body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width\"><title>" + html(title) + "</title></head><body style=\"font-family:"
                + "sans-serif;max-width:40em;margin:2em auto\"><h1>" + html(title) + "</h1><p>" + content + "</p></body></html>";
        return new ApiReply(status, Map.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store",
                "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"), body);
    }

    static String html(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }

    // ---- stale referrals

    /**
     * Reminds partners of referrals they let wait, and sends on those they let wait too long — at most every ten
     * minutes (of the hub's clock) per container. Answers how many steps were taken.
     */
    private void sweepStale(Exchange exchange) {
        Instant now = hub.clock().instant();
        Instant last = lastStaleSweep;
        if (last != null && now.isBefore(last.plus(java.time.Duration.ofMinutes(10)))) {
            exchange.getMessage().setBody(0);
            return;
        }
        lastStaleSweep = now;
        org.referralhub.config.HubConfiguration config = hub.config();
        int steps = 0;
        for (Partner partner : config.partners()) {
            for (Referral referral : hub.store().ofPartnerInStatus(partner.id(), ReferralStatus.REQUESTED.code())) {
                org.referralhub.config.Program.Staleness staleness = config.program(referral.program())
                        .map(org.referralhub.config.Program::staleness).orElse(null);
                StaleReferrals.Step step = stale.due(referral, staleness, now);
                try {
                    if (step == StaleReferrals.Step.REMIND && StaleReferrals.canRemind(partner)) {
                        remind(partner, referral, now);
                        hub.store().update(referral.referralId(), r -> stale.due(r, staleness, now) == StaleReferrals.Step.REMIND
                                ? stale.reminded(r, now) : r, changed -> List.of());
                        steps++;
                    } else if (step == StaleReferrals.Step.REROUTE) {
                        hub.store().update(referral.referralId(), r -> stale.due(r, staleness, now) == StaleReferrals.Step.REROUTE
                                ? stale.rerouted(r, config, now) : r, changed -> reports.notices(changed, now));
                        LOG.info("referral {} sent on from partner {} after waiting", referral.referralId(), partner.id());
                        steps++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("stale referral {} of partner {}: {} not done ({}); next sweep tries again", referral.referralId(),
                            partner.id(), step, e.getClass().getSimpleName());
                }
            }
        }
        exchange.getMessage().setBody(steps);
    }

    /**
     * Every partner that received the referral is asked to erase what it holds: a signed webhook call
     * ({@code referral.erased}, the same {@code webhook-id} if the erasure is repeated) or a message to its intake
     * inbox — ids only. A partner that takes files by SFTP, or that could not be reached, is named for the
     * administrator to tell by hand. Answers one line per partner, for the erasure record.
     */
    private void tellOfErasure(Exchange exchange) {
        Referral referral = exchange.getMessage().getBody(Referral.class);
        java.util.Set<String> reached = new java.util.LinkedHashSet<>();
        if (referral.delivery() != null) {
            referral.delivery().attempts().stream()
                    .filter(a -> a.outcome() == org.referralhub.referral.DeliveryAttempt.Outcome.DELIVERED)
                    .forEach(a -> reached.add(a.partnerId()));
        }
        List<String> said = new ArrayList<>();
        for (String partnerId : reached) {
            Partner partner = hub.config().partner(partnerId).orElse(null);
            if (partner == null || partner.intake() == null) {
                said.add("partner " + partnerId + " is no longer configured: tell them yourself");
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "referral.erased");
            body.put("referralId", referral.referralId());
            body.put("deliveryId", referral.delivery().idempotencyId());
            body.put("erasedAt", hub.clock().instant().toString());
            body.put("message", "The client asked for their personal data to be erased: delete what this referral gave you.");
            try {
                switch (partner.intake().channel()) {
                    case "webhook" -> {
                        post(partner.intake().url(), partner.intake().signingSecret(),
                                "era_" + referral.referralId() + "_" + partnerId, CanonicalJson.write(body));
                        said.add("partner " + partnerId + " asked to erase it (webhook)");
                    }
                    case "email" -> {
                        String domain = hub.hubAddress().substring(hub.hubAddress().indexOf('@') + 1);
                        hub.mail().send(new OutboundEmail(hub.hubAddress(), partner.intake().address(),
                                "Erase referral " + referral.referralId(), "Referral " + referral.referralId()
                                + ", delivered to you earlier, is erased at the client's request.\n\n"
                                + body.get("message") + "\n", "<era-" + referral.referralId() + "-" + partnerId + "@"
                                + domain + ">", null, null));
                        said.add("partner " + partnerId + " asked to erase it (e-mail)");
                    }
                    default -> said.add("partner " + partnerId + " takes referrals by " + partner.intake().channel()
                            + ": tell them yourself");
                }
            } catch (RuntimeException e) {
                LOG.warn("partner {} not told of the erasure of referral {} ({})", partnerId, referral.referralId(),
                        e.getClass().getSimpleName());
                said.add("partner " + partnerId + " could not be reached: tell them yourself");
            }
        }
        exchange.getMessage().setBody(said);
    }

    /** A reminder by the partner's own channel: a signed webhook call, or a message to its inbox with the links. */
    private void remind(Partner partner, Referral referral, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "referral.reminder");
        body.put("referralId", referral.referralId());
        body.put("deliveryId", referral.delivery().idempotencyId());
        body.put("agencyId", referral.agencyId());
        body.put("referredAt", referral.source().receivedAt());
        body.put("message", "This referral is waiting for your answer: accept or reject it.");
        if ("webhook".equals(partner.intake().channel())) {
            post(partner.intake().url(), partner.intake().signingSecret(), "rem_" + referral.referralId() + "_" + partner.id(),
                    CanonicalJson.write(body));
        } else {
            StringBuilder text = new StringBuilder("Referral ").append(referral.referralId())
                    .append(" from ").append(referral.agencyId()).append(", delivered to you earlier, is waiting for your answer.\n\n");
            Instant expires = now.plus(org.referralhub.outcome.StatusLinks.LIFETIME);
            for (String milestone : org.referralhub.outcome.StatusLinks.MILESTONES) {
                text.append("  ").append(milestone).append(": ").append(hub.publicBaseUrl()).append("/v1/partner/status-links/")
                        .append(hub.links().token(referral.referralId(), partner.id(), milestone, expires)).append('\n');
            }
            String domain = hub.hubAddress().substring(hub.hubAddress().indexOf('@') + 1);
            hub.mail().send(new OutboundEmail(hub.hubAddress(), partner.intake().address(), "Reminder: referral "
                    + referral.referralId() + " is waiting for your answer", text.toString(),
                    "<rem-" + referral.referralId() + "-" + partner.id() + "@" + domain + ">", null, null));
        }
    }

    // ---- agencies are told

    private void sendDue(Exchange exchange) {
        Instant now = hub.clock().instant();
        List<NoticeOutbox.Pending> due = outbox.due(now, 200);
        for (NoticeOutbox.Pending pending : due.stream().filter(p -> p.channel().equals("webhook")).toList()) {
            attempt(List.of(pending), now, () -> sendWebhook(pending));
        }
        Map<String, List<NoticeOutbox.Pending>> byAgency = due.stream().filter(p -> !p.channel().equals("webhook"))
                .collect(Collectors.groupingBy(p -> p.notice().agencyId() + "|" + p.channel(), LinkedHashMap::new,
                        Collectors.toList()));
        byAgency.forEach((key, notices) -> attempt(notices, now, notices.get(0).channel().equals("email")
                ? () -> sendEmail(notices) : () -> writeStatusFile(notices, now)));
        exchange.getMessage().setBody(due.size());
    }

    /** Sends, then records each notice sent — or to be tried again, or given up after {@value #MAX_ATTEMPTS} tries. */
    private void attempt(List<NoticeOutbox.Pending> notices, Instant now, Runnable send) {
        try {
            send.run();
            notices.forEach(n -> outbox.sent(n, now));
        } catch (RuntimeException e) {
            for (NoticeOutbox.Pending n : notices) {
                if (n.attempts() + 1 >= MAX_ATTEMPTS) {
                    LOG.warn("notice {} of referral {} to agency {} by {} given up after {} attempts", n.notice().noticeId(),
                            n.notice().referralId(), n.notice().agencyId(), n.channel(), n.attempts() + 1);
                    outbox.failed(n, now);
                } else {
                    LOG.info("notice {} to agency {} by {} not sent ({}); trying again", n.notice().noticeId(),
                            n.notice().agencyId(), n.channel(), e.getClass().getSimpleName());
                    outbox.retry(n, now.plus(retries.delayAfter(n.attempts() + 1)));
                }
            }
        }
    }

    private Agency.Notify notify(String agencyId) {
        return hub.config().agency(agencyId).map(Agency::notifications)
                .orElseThrow(() -> new IllegalStateException("agency " + agencyId + " is told nothing now"));
    }

    private void sendWebhook(NoticeOutbox.Pending pending) {
        Agency.Notify.Webhook webhook = notify(pending.notice().agencyId()).webhook();
        if (webhook == null) {
            throw new IllegalStateException("agency " + pending.notice().agencyId() + " has no webhook now");
        }
        post(webhook.url(), webhook.signingSecret(), pending.notice().noticeId(), CanonicalJson.write(pending.notice()));
    }

    /** A Standard Webhooks call: signed, with the same {@code webhook-id} on every retry; throws unless answered 2xx. */
    private void post(String url, String secret, String id, String body) {
        long timestamp = hub.clock().instant().getEpochSecond();
        if (producer == null) {
            producer = getContext().createProducerTemplate();
        }
        Exchange sent = producer.request(Endpoints.NOTIFY_WEBHOOK, e -> {
            e.setProperty(URL, url);
            var message = e.getMessage();
            message.setHeader(Exchange.HTTP_METHOD, "POST");
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setHeader(WebhookSignature.ID_HEADER, id);
            message.setHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
            message.setHeader(WebhookSignature.SIGNATURE_HEADER, new WebhookSignature(secret).sign(id, timestamp, body));
            message.setHeader("User-Agent", "referral-hub/1");
            message.setBody(body);
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("the webhook did not take the call", sent.getException());
        }
    }

    private void sendEmail(List<NoticeOutbox.Pending> notices) {
        String agencyId = notices.get(0).notice().agencyId();
        Agency.Notify.Email email = notify(agencyId).email();
        if (email == null) {
            throw new IllegalStateException("agency " + agencyId + " has no notice address now");
        }
        StringBuilder text = new StringBuilder(notices.size() == 1 ? "A referral of yours has news:\n\n"
                : notices.size() + " updates on your referrals:\n\n");
        for (NoticeOutbox.Pending p : notices) {
            Notice n = p.notice();
            text.append("  - ").append(n.referralId())
                    .append(n.agencyReference() == null ? "" : " (your reference " + n.agencyReference() + ")")
                    .append(": ").append(n.status()).append(n.businessStatus() == null ? "" : " / " + n.businessStatus())
                    .append(n.partnerId() == null ? "" : " at " + n.partnerId())
                    .append(n.reason() == null ? "" : " - " + n.reason()).append(" (").append(n.at()).append(")\n");
        }
        text.append("\nRead any referral at GET /v1/referrals/{id} with your API key.\n");
        String first = notices.get(0).notice().noticeId();
        hub.mail().send(new OutboundEmail(hub.hubAddress(), email.address(),
                notices.size() == 1 ? "Referral " + notices.get(0).notice().referralId() + ": " + notices.get(0).notice().status()
                        : "Referral updates (" + notices.size() + ")",
                text.toString(), "<notice-" + first + "@" + hub.hubAddress().substring(hub.hubAddress().indexOf('@') + 1) + ">",
                null, null));
    }

    private void writeStatusFile(List<NoticeOutbox.Pending> notices, Instant now) {
        String agencyId = notices.get(0).notice().agencyId();
        Agency agency = hub.config().agency(agencyId).orElseThrow();
        if (agency.sftp() == null || fileDrop == null) {
            throw new IllegalStateException("agency " + agencyId + " has no SFTP home now");
        }
        StringBuilder csv = new StringBuilder("noticeId,referralId,agencyReference,partnerId,status,businessStatus,reason,at\r\n");
        List<String[]> rows = new ArrayList<>();
        for (NoticeOutbox.Pending p : notices) {
            Notice n = p.notice();
            rows.add(new String[]{n.noticeId(), n.referralId(), n.agencyReference(), n.partnerId(), n.status(),
                    n.businessStatus(), n.reason(), n.at() == null ? null : n.at().toString()});
        }
        for (String[] row : rows) {
            csv.append(java.util.Arrays.stream(row).map(CsvText::cell).collect(Collectors.joining(","))).append("\r\n");
        }
        String name = "status-" + now.toString().replace(":", "").replace(".", "") + "-" + notices.get(0).notice().noticeId() + ".csv";
        fileDrop.write(agency.sftp().username() + "/results/" + name, csv.toString().getBytes(StandardCharsets.UTF_8));
    }
}
