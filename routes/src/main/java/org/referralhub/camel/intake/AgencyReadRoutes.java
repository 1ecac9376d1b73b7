package org.referralhub.camel.intake;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.Agency;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.store.ReferralStore;

/** The agency's read door: one of its referrals, or its referrals page by page — through the agency door's sign-in. */
public final class AgencyReadRoutes extends RouteBuilder {

    private final AgencyDoor door;
    private final ReferralStore store;
    private final Clock clock;

    public AgencyReadRoutes(AgencyDoor door, ReferralStore store, Clock clock) {
        this.door = door;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(Endpoints.REFERRAL_READ).routeId("referral-read").routeConfigurationId(ApiErrorHandling.ID)
                .process(door::signIn)
                .process(this::readReferral);

        from(Endpoints.REFERRAL_LIST).routeId("referral-list").routeConfigurationId(ApiErrorHandling.ID)
                .process(door::signIn)
                .process(this::listReferrals);
    }

    /** The agency's own referrals, newest first: filters status, partner, from, to; limit and cursor page them. */
    private void listReferrals(Exchange exchange) {
        Agency agency = AgencyDoor.caller(exchange).agency();
        ApiRequest request = AgencyDoor.request(exchange);
        Instant to = request.query("to") == null ? clock.instant().plusSeconds(1) : request.dateQuery("to");
        Instant from = request.query("from") == null ? Instant.EPOCH : request.dateQuery("from");
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
        Set<String> statuses = request.query("status") == null ? Set.of() : Set.of(request.query("status").split(","));
        String partner = request.query("partner");
        Predicate<Referral> filter = r -> (statuses.isEmpty() || statuses.contains(r.status().code()))
                && (partner == null || partner.equals(r.partnerId()));
        ReferralStore.AgencyPage page;
        try {
            page = store.agencyPage(agency.id(), from, to, request.query("cursor"), limit, filter);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "malformed", "Bad cursor", "Send the cursor of the page before as it came.");
        }
        List<Map<String, Object>> items = new ArrayList<>();
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
        Agency agency = AgencyDoor.caller(exchange).agency();
        String id = AgencyDoor.request(exchange).pathParameters().get("id");
        Referral referral = ReferralIds.isWellFormed(id) ? store.find(id)
                .filter(r -> agency.id().equals(r.agencyId())).orElse(null) : null;
        if (referral == null) {
            throw new ApiProblem(404, "not-found", "No such referral", "Your agency has no referral with this id.");
        }
        exchange.getMessage().setBody(ApiReply.json(200, referral));
    }
}
