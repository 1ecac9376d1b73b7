package org.referralhub.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.admin.AdminRefusal;
import org.referralhub.admin.Administration;
import org.referralhub.admin.Administration.Kind;
import org.referralhub.admin.Sandbox;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.InvalidConfigurationException;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrators' API, under {@code /admin/v1/}. Authenticated apart from agencies: a bearer token of an
 * administrator in the configuration, or — in AWS, where the admin routes are IAM-authorized — the IAM principal API
 * Gateway verified (the handler passes it in the {@code x-hub-iam-principal} pseudo-header only then).
 * Every answer that reads or changes the configuration carries its version as {@code ETag}; a change sent with
 * {@code If-Match} is refused (412) if another version came into force meanwhile.
 */
public final class AdminRoutes extends RouteBuilder {

    /** Set by the admin handler from API Gateway's IAM authorizer context, never from the client's headers. */
    public static final String IAM_PRINCIPAL = "x-hub-iam-principal";
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    private static final String PREFIX = "/admin/v1/";

    private final HubServices hub;
    private final Sandbox sandbox;
    private final org.referralhub.email.EmailImport email;

    private final org.referralhub.files.FileImport files;

    /**
     * @param email the e-mail channel, to replay quarantined messages (null when the hub takes no e-mail)
     * @param files the file channel, to run files with rejected rows again
     */
    public AdminRoutes(HubServices hub, org.referralhub.email.EmailImport email, org.referralhub.files.FileImport files) {
        this.files = files;
        this.hub = hub;
        this.email = email;
        this.sandbox = new Sandbox(hub.configs(), hub.load(), hub.administration()::propose, hub.clock());
    }

    @Override
    public void configure() {
        from(Endpoints.ADMIN_SANDBOX).routeId("admin-sandbox").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::authenticate)
                .process(this::runSandbox);

        from(Endpoints.ADMIN_API).routeId("admin-api").routeConfigurationId(ApiErrorHandling.ID)
                .process(this::authenticate)
                .process(this::answer);
    }

    private void authenticate(Exchange exchange) throws InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        String principal = request.header(IAM_PRINCIPAL);
        if (principal != null && !principal.isBlank()) {
            exchange.setProperty("admin", principal);
            return;
        }
        hub.refuseIfBlocked("admin-token", request);
        String authorization = request.header("authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiProblem(401, "unauthenticated", "Missing admin token",
                    "Send an administrator's token as Authorization: Bearer <token>.");
        }
        HubConfiguration.Admin admin = hub.config().adminByTokenHash(Sha256.hex(authorization.substring(7).trim()))
                .orElseThrow(() -> {
                    LOG.warn("refused an unknown admin token from {}", request.sourceIp());
                    return hub.failedSignIn("admin-token", request, new ApiProblem(401, "unauthenticated",
                            "Unknown admin token", "The token is not a current administrator's token."));
                });
        exchange.setProperty("admin", admin.name());
    }

    private void runSandbox(Exchange exchange) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        Sandbox.Request sample;
        try {
            sample = CanonicalJson.MAPPER.readValue(request.body(), Sandbox.Request.class);
        } catch (IOException e) {
            throw new ApiProblem(400, "malformed", "Malformed sandbox request",
                    "Send JSON: {\"agencyId\": ..., \"channel\": \"webhook|file|email\", \"fileName\": ..., "
                            + "\"content\": ... or \"contentBase64\": ..., \"proposed\": {...}, \"mapping\": ...}.");
        }
        try {
            Sandbox.Result result = sandbox.run(sample);
            LOG.info("sandbox run by {} for agency {}: {} would be accepted, {} refused",
                    exchange.getProperty("admin"), result.agencyId(), result.accepted(), result.rejected());
            exchange.getMessage().setBody(ApiReply.json(200, result));
        } catch (Sandbox.BadSample bad) {
            throw new ApiProblem(400, "bad-sample", "The sample cannot be tried", bad.getMessage());
        } catch (AdminRefusal refusal) {
            throw problem(refusal);
        }
    }

    private void answer(Exchange exchange) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        String by = exchange.getProperty("admin", String.class);
        String path = request.path() == null ? "" : request.path();
        if (!path.startsWith(PREFIX)) {
            throw notFound(path);
        }
        List<String> parts = Arrays.stream(path.substring(PREFIX.length()).split("/")).filter(s -> !s.isEmpty()).toList();
        try {
            ApiReply reply = dispatch(request, request.method() == null ? "GET" : request.method().toUpperCase(Locale.ROOT),
                    parts, by);
            exchange.getMessage().setBody(reply);
        } catch (AdminRefusal refusal) {
            LOG.info("admin {} refused {} {}: {}", by, request.method(), path, refusal.type());
            throw problem(refusal);
        }
    }

    private ApiReply dispatch(ApiRequest request, String method, List<String> parts, String by) {
        Administration admin = hub.administration();
        Long ifMatch = ifMatch(request);
        int n = parts.size();
        if (n == 0) {
            throw notFound(request.path());
        }
        String head = parts.get(0);
        if (head.equals("config")) {
            if (n == 1 && method.equals("GET")) {
                return reply(200, admin.configuration());
            }
            if (n == 1 && method.equals("PUT")) {
                ObjectNode incoming = configurationBody(request);
                return reply(200, logged(by, "imported a configuration", admin.importConfiguration(incoming, by, ifMatch)));
            }
            if (n == 2 && parts.get(1).equals("versions") && method.equals("GET")) {
                int limit = request.query("limit") == null ? 20 : parseNumber(request.query("limit"), "limit").intValue();
                Long before = request.query("before") == null ? null : parseNumber(request.query("before"), "before");
                return ApiReply.json(200, Map.of("versions", admin.history(limit, before)));
            }
            if (n == 3 && parts.get(1).equals("versions") && method.equals("GET")) {
                return ApiReply.json(200, admin.version(parseNumber(parts.get(2), "version")));
            }
            if (n == 4 && parts.get(1).equals("versions") && parts.get(3).equals("restore") && method.equals("POST")) {
                long number = parseNumber(parts.get(2), "version");
                return reply(200, logged(by, "restored version " + number, admin.restore(number, by)));
            }
        } else if (head.equals("quarantine")) {
            if (n == 1 && method.equals("GET")) {
                return ApiReply.json(200, Map.of("quarantined", hub.store().quarantinedInputs(1000)));
            }
            if (n == 3 && parts.get(2).equals("replay") && method.equals("POST")) {
                return replayQuarantined(parts.get(1), by);
            }
            if (n == 2 && parts.get(1).equals("replay") && method.equals("POST")) {
                return replayQuarantinedMany(object(request), by);
            }
        } else if (head.equals("dead-letters")) {
            if (n == 1 && method.equals("GET")) {
                String partner = request.query("partner");
                String kind = request.query("kind");
                return ApiReply.json(200, Map.of("deadLetters", hub.deadLetters().list().stream()
                        .filter(d -> partner == null || partner.equals(d.partnerId()))
                        .filter(d -> kind == null || kind.equals(d.kind())).toList()));
            }
            if (n == 2 && parts.get(1).equals("replay") && method.equals("POST")) {
                JsonNode body = object(request);
                java.util.Set<String> ids = new java.util.HashSet<>();
                body.path("ids").forEach(i -> ids.add(i.asText()));
                String partner = body.path("partner").asText(null);
                String kind = body.path("kind").asText(null);
                boolean all = body.path("all").asBoolean(false);
                if (ids.isEmpty() && partner == null && kind == null && !all) {
                    throw new ApiProblem(400, "malformed", "Replay what?",
                            "Send {\"ids\": [...]}, a filter {\"partner\": ..., \"kind\": \"delivery|notice\"}, or {\"all\": true}.");
                }
                List<String> replayed = hub.deadLetters().replay(d -> (ids.isEmpty() || ids.contains(d.id()))
                        && (partner == null || partner.equals(d.partnerId())) && (kind == null || kind.equals(d.kind())), by);
                LOG.info("admin {} replayed {} dead letter(s)", by, replayed.size());
                return ApiReply.json(200, Map.of("replayed", replayed));
            }
        } else if (head.equals("reports") && n == 2 && parts.get(1).equals("funnel") && method.equals("GET")) {
            return funnel(request);
        } else if (head.equals("reports") && n == 2 && parts.get(1).equals("activity") && method.equals("GET")) {
            return activity();
        } else if (head.equals("referrals") && n == 1 && method.equals("GET")) {
            return search(request);
        } else if (head.equals("referrals") && n == 3 && parts.get(2).equals("raw") && method.equals("GET")) {
            return rawPayload(parts.get(1), by);
        } else if (head.equals("referrals") && n == 2 && method.equals("GET")) {
            var erased = hub.store().erasure(parts.get(1));
            if (erased.isPresent()) {
                return ApiReply.json(410, erased.get());
            }
            return hub.store().find(parts.get(1)).map(r -> ApiReply.json(200, r))
                    .orElseThrow(() -> new ApiProblem(404, "not-found", "No such referral",
                            "There is no referral " + parts.get(1) + "."));
        } else if (head.equals("referrals") && n == 3 && parts.get(2).equals("erase") && method.equals("POST")) {
            return erase(parts.get(1), object(request), by);
        } else if (head.equals("routing")) {
            if (n == 1 && method.equals("GET")) {
                return reply(200, admin.routing());
            }
            if (n == 1 && method.equals("PUT")) {
                return reply(200, logged(by, "replaced the routing table", admin.replaceRouting(object(request), by, ifMatch)));
            }
            if (n >= 2 && parts.get(1).equals("rules")) {
                if (n == 4 && parts.get(3).equals("move") && method.equals("POST")) {
                    JsonNode body = object(request);
                    if (!body.path("position").canConvertToInt()) {
                        throw new ApiProblem(400, "malformed", "Where to?", "Send {\"position\": n}, 0 being first.");
                    }
                    return reply(200, logged(by, "moved rule " + parts.get(2),
                            admin.moveRule(parts.get(2), body.get("position").asInt(), by, ifMatch)));
                }
                return resource(Kind.RULES, parts.subList(2, n), request, method, by, ifMatch);
            }
        } else if ((head.equals("agencies") || head.equals("partners")) && n >= 3 && parts.get(2).equals("keys")) {
            Kind kind = head.equals("agencies") ? Kind.AGENCIES : Kind.PARTNERS;
            String owner = parts.get(1);
            if (n == 3 && method.equals("GET")) {
                JsonNode view = admin.get(kind, owner).resource();
                return ApiReply.json(200, Map.of(kind.noun() + "Id", owner, "apiKeys", view.path("apiKeys")));
            }
            if (n == 3 && method.equals("POST")) {
                boolean revokeOthers = object(request).path("revokeOthers").asBoolean(false);
                return reply(201, logged(by, "created an API key of " + owner, admin.createKey(kind, owner, revokeOthers, by)));
            }
            if (n == 4 && parts.get(3).equals("rotate") && method.equals("POST")) {
                return reply(201, logged(by, "rotated the API keys of " + owner, admin.createKey(kind, owner, true, by)));
            }
            if (n == 4 && method.equals("DELETE")) {
                return reply(200, logged(by, "revoked an API key of " + owner, admin.revokeKey(kind, owner, parts.get(3), by)));
            }
        } else if (head.equals("partners") && n == 4 && parts.get(2).equals("signing-secret")
                && parts.get(3).equals("rotate") && method.equals("POST")) {
            return reply(201, logged(by, "rotated the signing secret of " + parts.get(1),
                    admin.rotateSigningSecret(parts.get(1), by)));
        } else {
            var kind = Kind.of(head).filter(k -> k != Kind.RULES);
            if (kind.isPresent() && n <= 2) {
                return resource(kind.get(), parts.subList(1, n), request, method, by, ifMatch);
            }
        }
        throw notFound(request.path());
    }

    /**
     * Runs a quarantined input again from its archived copy, once (a second replay is refused): a message whose
     * sender was not allowed, once the administrator allowed it; a file whose rows were rejected, once its mapping
     * was fixed (rows accepted before keep their referral; none is stored twice). Answers what became of it.
     */
    private ApiReply replayQuarantined(String receiptId, String by) {
        Map<String, Object> record = hub.store().takeForReplay(receiptId, hub.clock().instant())
                .orElseThrow(() -> new ApiProblem(409, "conflict", "Nothing to replay",
                        "There is no quarantined input " + receiptId + " waiting (it may have been replayed already)."));
        Object outcome = replay(record);
        LOG.info("admin {} replayed quarantined input {}", by, receiptId);
        return ApiReply.json(200, outcome);
    }

    /** Replays quarantined inputs by {@code ids}, by filter ({@code channel}, {@code reason}, {@code agency}) or {@code all}. */
    private ApiReply replayQuarantinedMany(JsonNode body, String by) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        body.path("ids").forEach(i -> ids.add(i.asText()));
        String channel = body.path("channel").asText(null);
        String reason = body.path("reason").asText(null);
        String agency = body.path("agency").asText(null);
        if (ids.isEmpty() && channel == null && reason == null && agency == null && !body.path("all").asBoolean(false)) {
            throw new ApiProblem(400, "malformed", "Replay what?", "Send {\"ids\": [...]}, a filter {\"channel\": "
                    + "\"email|sftp\", \"reason\": ..., \"agency\": ...}, or {\"all\": true}.");
        }
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Map<String, Object> q : hub.store().quarantinedInputs(1000)) {
            if ((ids.isEmpty() || ids.contains(q.get("receiptId"))) && (channel == null || channel.equals(q.get("channel")))
                    && (reason == null || reason.equals(q.get("reason"))) && (agency == null || agency.equals(q.get("agencyId")))) {
                String receiptId = String.valueOf(q.get("receiptId"));
                var taken = hub.store().takeForReplay(receiptId, hub.clock().instant());
                if (taken.isEmpty()) {
                    continue;
                }
                try {
                    out.add(Map.of("receiptId", receiptId, "outcome", replay(taken.get())));
                } catch (ApiProblem refused) {
                    out.add(Map.of("receiptId", receiptId, "refused", refused.getMessage()));
                }
            }
        }
        LOG.info("admin {} replayed {} quarantined input(s)", by, out.size());
        return ApiReply.json(200, Map.of("replayed", out));
    }

    private volatile org.apache.camel.ProducerTemplate producer;

    private org.apache.camel.ProducerTemplate producer() {
        if (producer == null) {
            producer = getContext().createProducerTemplate();
        }
        return producer;
    }

    /**
     * A client's erasure on request: the referral, its agency-reference claim and its archived raw payload are deleted
     * (a file's or a message's whole copy, which held it), with the agency's processed copy of a dropped file; the
     * partners it reached are asked to erase theirs; an erasure record without personal data stays — who, when, why,
     * what was removed, which partners were asked — and the referral answers 410 with it from then on.
     */
    private ApiReply erase(String referralId, JsonNode body, String by) {
        String reason = body.path("reason").asText("").trim();
        if (reason.isEmpty() || reason.length() > 500) {
            throw new ApiProblem(400, "malformed", "Why?",
                    "Send {\"reason\": \"…\"} (at most 500 characters, no personal data): it is kept in the erasure record.");
        }
        if (hub.store().erasure(referralId).isPresent()) {
            return ApiReply.json(200, hub.store().erasure(referralId).get());
        }
        var referral = hub.store().find(referralId).orElseThrow(() -> new ApiProblem(404, "not-found",
                "No such referral", "There is no referral " + referralId + "."));
        List<String> removed = new java.util.ArrayList<>(List.of("referral"));
        if (referral.source() != null && referral.source().agencyReference() != null) {
            removed.add("agency-reference claim");
        }
        String rawRef = referral.source() == null ? null : referral.source().rawPayloadRef();
        if (rawRef != null && rawRef.startsWith("file:") || rawRef != null && rawRef.startsWith("s3:")) {
            boolean whole = rawRef.contains("#");
            if (hub.archive().erase(rawRef)) {
                removed.add(whole ? "archived raw file or message (it held this referral and possibly others)"
                        : "archived raw payload");
            }
        }
        if (referral.source() != null && referral.source().channel() == org.referralhub.referral.Channel.SFTP
                && rawRef != null) {
            String receipt = rawRef.substring(rawRef.lastIndexOf('/') + 1).replaceAll("[.#].*$", "");
            var agency = hub.config().agency(referral.agencyId());
            if (agency.isPresent() && !files.eraseProcessedCopies(agency.get(), receipt).isEmpty()) {
                removed.add("the agency's processed file in its SFTP archive/ folder (it held this referral and possibly others)");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> told = producer().requestBody(Endpoints.PARTNER_ERASURE, referral, List.class);
        Map<String, Object> record = hub.store().erase(referral, by, reason, removed, told, hub.clock().instant());
        LOG.info("admin {} erased referral {}", by, referralId);
        return ApiReply.json(200, record);
    }

    private Object replay(Map<String, Object> record) {
        String rawRef = String.valueOf(record.get("rawPayloadRef"));
        if (rawRef.isEmpty() || rawRef.startsWith("mail-drop:")) {
            throw new ApiProblem(409, "conflict", "Cannot be replayed",
                    "This input was refused before it was archived (too large); the sender must send it again.");
        }
        if ("sftp".equals(record.get("channel")) && record.get("fileName") != null) {
            return files.replay(String.valueOf(record.get("agencyId")), String.valueOf(record.get("receiptId")),
                    String.valueOf(record.get("dropUser")), String.valueOf(record.get("fileName")), rawRef);
        }
        if (!"email".equals(record.get("channel")) || email == null) {
            throw new ApiProblem(409, "conflict", "Cannot be replayed", "This hub cannot replay this kind of input.");
        }
        return email.replay(rawRef);
    }

    /**
     * Referrals of every agency (or one) received in a period (the last 30 days by default), filtered by partner and
     * status, newest first: ids, channels, partners and states, no client details.
     */
    private ApiReply search(ApiRequest request) {
        java.time.Instant[] period = period(request, 30);
        java.time.Instant from = period[0];
        java.time.Instant to = period[1];
        String status = request.query("status");
        if (status != null) {
            try {
                org.referralhub.referral.ReferralStatus.fromCode(status);
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(400, "malformed", "Unknown status", "No referral status is called '" + status + "'.");
            }
        }
        int limit = request.query("limit") == null ? 50 : parseNumber(request.query("limit"), "limit").intValue();
        var search = new org.referralhub.admin.ReferralOverview.Search(request.query("agency"), request.query("partner"),
                status, from, to, limit);
        List<org.referralhub.referral.Referral> matching = new java.util.ArrayList<>();
        for (org.referralhub.config.Agency a : hub.config().agencies()) {
            if (search.agencyId() == null || search.agencyId().equals(a.id())) {
                hub.store().forEachOfAgency(a.id(), from, to, r -> {
                    if (org.referralhub.admin.ReferralOverview.matches(search, r)) {
                        matching.add(r);
                    }
                });
            }
        }
        return ApiReply.json(200, org.referralhub.admin.ReferralOverview.found(search, matching));
    }

    /** The {@code from} and {@code to} of a report or search: dates or instants; by default the last {@code days}. */
    private java.time.Instant[] period(ApiRequest request, int days) {
        java.time.Instant to = request.query("to") == null ? hub.clock().instant() : OutcomeRoutes.date(request.query("to"));
        java.time.Instant from = request.query("from") == null ? to.minus(java.time.Duration.ofDays(days))
                : OutcomeRoutes.date(request.query("from"));
        if (!from.isBefore(to)) {
            throw new ApiProblem(400, "malformed", "Bad period", "from must be before to.");
        }
        return new java.time.Instant[] {from, to};
    }

    /** Today's and this week's referrals by channel, and the ones waiting too long for their partner. */
    private ApiReply activity() {
        java.time.Instant now = hub.clock().instant();
        List<org.referralhub.referral.Referral> recent = new java.util.ArrayList<>();
        for (org.referralhub.config.Agency a : hub.config().agencies()) {
            hub.store().forEachOfAgency(a.id(), now.minus(org.referralhub.admin.ReferralOverview.LOOK_BACK),
                    now.plusSeconds(1), recent::add);
        }
        return ApiReply.json(200, org.referralhub.admin.ReferralOverview.activity(recent, hub.config(), now));
    }

    /**
     * The payload a referral came in, as archived before it was read — for administrators only (this API), and
     * logged by referral id and administrator. A file's rows share the whole file.
     */
    /** The largest raw payload answered through the API (its Base64 must fit a Lambda's 6 MB answer). */
    static final int MAX_RAW_DOWNLOAD = 4 * 1024 * 1024;

    private ApiReply rawPayload(String referralId, String by) {
        var referral = hub.store().find(referralId).orElseThrow(() -> new ApiProblem(404, "not-found", "No such referral",
                "There is no referral " + referralId + "."));
        String reference = referral.source() == null ? null : referral.source().rawPayloadRef();
        if (reference == null || reference.isBlank()) {
            throw new ApiProblem(404, "not-found", "No raw payload", "Referral " + referralId + " has no archived payload.");
        }
        byte[] raw;
        try {
            raw = hub.archive().read(reference);
        } catch (RuntimeException e) {
            throw new ApiProblem(404, "not-found", "No raw payload",
                    "The archived payload of referral " + referralId + " is no longer kept.");
        }
        if (raw.length > MAX_RAW_DOWNLOAD) {
            // a Lambda answers at most 6 MB, and Base64 adds a third: a bigger file is fetched from the archive itself
            throw new ApiProblem(413, "too-large", "Too large to download here", "The payload of referral " + referralId
                    + " is " + raw.length + " bytes; fetch it from the archive: " + reference + ".");
        }
        LOG.info("admin {} read the raw payload of referral {}", by, referralId);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("referralId", referralId);
        body.put("rawPayloadRef", reference);
        body.put("fileName", referralId + "-" + reference.substring(reference.lastIndexOf('/') + 1));
        body.put("size", raw.length);
        body.put("contentBase64", java.util.Base64.getEncoder().encodeToString(raw));
        return ApiReply.json(200, body).withHeader("Cache-Control", "no-store");
    }

    /**
     * The funnel over a period ({@code from}, {@code to}: dates or instants; default the last 365 days), optionally
     * for one {@code program}, {@code agency} or {@code partner}; {@code format=csv} for CSV. Referrals are found
     * agency by agency through the {@code byAgencyDate} index and read in batches: no scan.
     */
    private ApiReply funnel(ApiRequest request) {
        java.time.Instant[] period = period(request, 365);
        java.time.Instant from = period[0];
        java.time.Instant to = period[1];
        String program = request.query("program");
        String agency = request.query("agency");
        String partner = request.query("partner");
        Map<String, String> filters = new java.util.TreeMap<>();
        if (program != null) {
            filters.put("program", program);
        }
        if (agency != null) {
            filters.put("agency", agency);
        }
        if (partner != null) {
            filters.put("partner", partner);
        }
        List<org.referralhub.referral.Referral> referrals = new java.util.ArrayList<>();
        for (org.referralhub.config.Agency a : hub.config().agencies()) {
            if (agency != null && !agency.equals(a.id())) {
                continue;
            }
            hub.store().forEachOfAgency(a.id(), from, to, r -> {
                if ((program == null || program.equals(r.program())) && (partner == null || partner.equals(r.partnerId()))) {
                    referrals.add(r);
                }
            });
        }
        var report = org.referralhub.outcome.FunnelReport.of(from, to, filters, referrals);
        if ("csv".equalsIgnoreCase(request.query("format"))) {
            return new ApiReply(200, Map.of("Content-Type", "text/csv; charset=utf-8"),
                    org.referralhub.outcome.FunnelReport.csv(report));
        }
        return ApiReply.json(200, report);
    }

    /** List and create on a collection; show, replace, patch and delete on one of its members. */
    private ApiReply resource(Kind kind, List<String> rest, ApiRequest request, String method, String by, Long ifMatch) {
        Administration admin = hub.administration();
        if (rest.isEmpty()) {
            return switch (method) {
                case "GET" -> reply(200, admin.list(kind));
                case "POST" -> reply(201, logged(by, "created a " + kind.noun(), admin.create(kind, object(request), by, ifMatch)));
                default -> throw methodNotAllowed(method);
            };
        }
        if (rest.size() != 1) {
            throw notFound(request.path());
        }
        String id = rest.get(0);
        return switch (method) {
            case "GET" -> reply(200, admin.get(kind, id));
            case "PUT" -> reply(200, logged(by, "replaced " + kind.noun() + " " + id, admin.replace(kind, id, object(request), by, ifMatch)));
            case "PATCH" -> reply(200, logged(by, "changed " + kind.noun() + " " + id, admin.patch(kind, id, object(request), by, ifMatch)));
            case "DELETE" -> reply(200, logged(by, "deleted " + kind.noun() + " " + id, admin.delete(kind, id, by, ifMatch)));
            default -> throw methodNotAllowed(method);
        };
    }

    private static Administration.Answer logged(String by, String what, Administration.Answer answer) {
        LOG.info("admin {} {}: configuration version {} in force", by, what, answer.version());
        return answer;
    }

    /** The resource, with any secret the hub just made (shown this once), and the version as ETag. */
    private static ApiReply reply(int status, Administration.Answer answer) {
        Object body = answer.resource() == null ? Map.of("version", answer.version()) : answer.resource();
        if (!answer.secrets().isEmpty() && answer.resource() instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            ObjectNode secrets = copy.putObject("secrets");
            answer.secrets().forEach(secrets::put);
            secrets.put("note", "Shown this once: the hub keeps only a digest (API keys) or will not show it again.");
            body = copy;
        }
        return ApiReply.json(status, body).withHeader("ETag", "\"" + answer.version() + "\"")
                .withHeader("Cache-Control", "no-store");
    }

    private static ObjectNode object(ApiRequest request) {
        if (request.body().length == 0) {
            return CanonicalJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = CanonicalJson.MAPPER.readTree(request.body());
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new ApiProblem(400, "malformed", "Malformed request", "Send a JSON object.");
    }

    /** A whole configuration: JSON, or YAML when the content type says so. */
    private static ObjectNode configurationBody(ApiRequest request) {
        String type = request.header("content-type") == null ? "" : request.header("content-type").toLowerCase(Locale.ROOT);
        if (type.contains("yaml")) {
            try {
                return ConfigurationLoader.readText(request.bodyText());
            } catch (InvalidConfigurationException e) {
                throw new ApiProblem(400, "malformed", "Malformed configuration", String.join("; ", e.problems()));
            }
        }
        return object(request);
    }

    private static Long ifMatch(ApiRequest request) {
        String header = request.header("if-match");
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        String digits = header.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            throw new ApiProblem(400, "malformed", "Malformed If-Match", "If-Match holds a version from an ETag, e.g. \"12\".");
        }
        return Long.parseLong(digits);
    }

    private static Long parseNumber(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ApiProblem(400, "malformed", "Not a number", what + " must be a whole number.");
        }
    }

    private static ApiProblem problem(AdminRefusal refusal) {
        return new ApiProblem(new ApiProblem.Body("/problems/" + refusal.type(), refusal.title(), refusal.status(),
                refusal.getMessage(), null, null, null, refusal.problems().isEmpty() ? null : refusal.problems()));
    }

    private static ApiProblem notFound(String path) {
        return new ApiProblem(404, "not-found", "No such resource", "The admin API has no " + path + ".");
    }

    private static ApiProblem methodNotAllowed(String method) {
        return new ApiProblem(405, "method-not-allowed", "Method not allowed", method + " is not offered here.");
    }
}
