package org.referralhub.camel.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.admin.ReferralErasure;
import org.referralhub.admin.ReferralOverview;
import org.referralhub.admin.ReferralQueries;
import org.referralhub.archive.RawArchive;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.intake.NearMatchAnswers;
import org.referralhub.outcome.FunnelReport;
import org.referralhub.referral.NearMatch;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Referrals across agencies for administrators: a search, one referral (410 once erased), the raw payload it came in,
 * its erasure ({@link ReferralErasure}, which asks the partners it reached to erase theirs), an answer about a near
 * match for an agency that has no API ({@link NearMatchAnswers}), the funnel
 * and today's activity ({@link ReferralQueries}).
 */
public final class ReferralAdminRoutes extends RouteBuilder {

    /** The largest raw payload answered through the API (its Base64 must fit a Lambda's 6 MB answer). */
    static final int MAX_RAW_DOWNLOAD = 4 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ReferralAdminRoutes.class);

    private final ReferralStore store;
    private final RawArchive archive;
    private final ReferralQueries queries;
    private final Clock clock;
    private final ReferralErasure erasure;
    private final NearMatchAnswers nearMatches;

    public ReferralAdminRoutes(ReferralStore store, RawArchive archive, ReferralQueries queries,
                               ReferralErasure erasure, NearMatchAnswers nearMatches, Clock clock) {
        this.store = store;
        this.nearMatches = nearMatches;
        this.archive = archive;
        this.queries = queries;
        this.clock = clock;
        this.erasure = erasure;
    }

    @Override
    public void configure() {
        from(Endpoints.ADMIN_REFERRALS).routeId("admin-referrals").routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> e.getMessage().setBody(answer(e.getMessage().getMandatoryBody(AdminCall.class))));
    }

    private ApiReply answer(AdminCall call) {
        return switch (call.operation()) {
            case REFERRAL_SEARCH -> ApiReply.json(200, queries.search(search(call.request())));
            case ACTIVITY -> ApiReply.json(200, queries.activity());
            case FUNNEL -> funnel(call.request());
            case REFERRAL_GET -> store.erasure(call.path("id")).map(record -> ApiReply.json(410, record))
                    .orElseGet(() -> ApiReply.json(200, store.find(call.path("id")).orElseThrow(() -> noSuch(call.path("id")))));
            case REFERRAL_RAW -> rawPayload(call.path("id"), call.by());
            case REFERRAL_ERASE -> ApiReply.json(200, erasure.erase(call.path("id"),
                    call.object().path("reason").asText(""), call.by()));
            case REFERRAL_NEAR_MATCH -> nearMatch(call);
            default -> throw new IllegalStateException(call.operation() + " is not the referrals'");
        };
    }

    /** An administrator answers for an agency (one that sends only files or mail) about a near match. */
    private ApiReply nearMatch(AdminCall call) {
        NearMatch.Answer answer = NearMatch.Answer.of(call.object().path("answer").asText(null)).orElseThrow(() ->
                new ApiProblem(400, "malformed", "Malformed answer", NearMatch.Answer.HOW));
        NearMatchAnswers.Result result = nearMatches.answer(null, call.path("id"), answer, "admin:" + call.by(),
                clock.instant());
        if (result instanceof NearMatchAnswers.Answered answered) {
            return ApiReply.json(200, answered.referral());
        }
        if (result instanceof NearMatchAnswers.NotHeld notHeld) {
            throw new ApiProblem(409, "not-held", "Not held as a near match", "Referral " + call.path("id") + " is "
                    + notHeld.referral().status().code() + " and waits for no answer.");
        }
        throw noSuch(call.path("id"));
    }

    private ReferralOverview.Search search(ApiRequest request) {
        Instant[] period = period(request, 30);
        String status = request.query("status");
        if (status != null) {
            try {
                ReferralStatus.fromCode(status);
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(400, "malformed", "Unknown status", "No referral status is called '" + status + "'.");
            }
        }
        int limit = request.query("limit") == null ? 50 : AdminCall.number(request.query("limit"), "limit").intValue();
        return new ReferralOverview.Search(request.query("agency"), request.query("partner"), status, period[0],
                period[1], limit);
    }

    /** The {@code from} and {@code to} of a report or search: dates or instants; by default the last {@code days}. */
    private Instant[] period(ApiRequest request, int days) {
        Instant to = request.query("to") == null ? clock.instant() : request.dateQuery("to");
        Instant from = request.query("from") == null ? to.minus(Duration.ofDays(days)) : request.dateQuery("from");
        if (!from.isBefore(to)) {
            throw new ApiProblem(400, "malformed", "Bad period", "from must be before to.");
        }
        return new Instant[] {from, to};
    }

    /**
     * The funnel over a period ({@code from}, {@code to}: dates or instants; default the last 365 days), optionally
     * for one {@code program}, {@code agency} or {@code partner}; {@code format=csv} for CSV.
     */
    private ApiReply funnel(ApiRequest request) {
        Instant[] period = period(request, 365);
        Map<String, String> filters = new TreeMap<>();
        for (String filter : List.of("program", "agency", "partner")) {
            if (request.query(filter) != null) {
                filters.put(filter, request.query(filter));
            }
        }
        FunnelReport.Report report = queries.funnel(period[0], period[1], filters);
        if ("csv".equalsIgnoreCase(request.query("format"))) {
            return new ApiReply(200, Map.of("Content-Type", "text/csv; charset=utf-8"), FunnelReport.csv(report));
        }
        return ApiReply.json(200, report);
    }

    /**
     * The payload a referral came in, as archived before it was read — for administrators only (this API), and
     * logged by referral id and administrator. A file's rows share the whole file.
     */
    private ApiReply rawPayload(String referralId, String by) {
        Referral referral = store.find(referralId).orElseThrow(() -> noSuch(referralId));
        String reference = referral.source() == null ? null : referral.source().rawPayloadRef();
        if (reference == null || reference.isBlank()) {
            throw new ApiProblem(404, "not-found", "No raw payload", "Referral " + referralId + " has no archived payload.");
        }
        byte[] raw;
        try {
            raw = archive.read(reference);
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("referralId", referralId);
        body.put("rawPayloadRef", reference);
        body.put("fileName", referralId + "-" + reference.substring(reference.lastIndexOf('/') + 1));
        body.put("size", raw.length);
        body.put("contentBase64", Base64.getEncoder().encodeToString(raw));
        return ApiReply.json(200, body).withHeader("Cache-Control", "no-store");
    }

    private static ApiProblem noSuch(String referralId) {
        return new ApiProblem(404, "not-found", "No such referral", "There is no referral " + referralId + ".");
    }
}
