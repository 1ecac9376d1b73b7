package org.referralhub.camel.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.Agency;
import org.referralhub.intake.NearMatchAnswers;
import org.referralhub.intake.WebhookPayload;
import org.referralhub.referral.NearMatch;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;

/**
 * An agency answers about one of its referrals held as a near match: {@code {"answer": "another-client"}} or
 * {@code {"answer": "same-client"}} — through the agency door (signed in, the body archived before it is read).
 */
public final class NearMatchRoutes extends RouteBuilder {

    private final AgencyDoor door;
    private final NearMatchAnswers answers;
    private final Clock clock;

    public NearMatchRoutes(AgencyDoor door, NearMatchAnswers answers, Clock clock) {
        this.door = door;
        this.answers = answers;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(Endpoints.NEAR_MATCH_ANSWER).routeId("near-match-answer").routeConfigurationId(ApiErrorHandling.ID)
                .process(door::signIn)
                .process(door::admit)
                .process(this::answer);
    }

    private void answer(Exchange exchange) {
        Agency agency = AgencyDoor.caller(exchange).agency();
        ApiRequest request = AgencyDoor.request(exchange);
        String id = request.pathParameters().get("id");
        NearMatch.Answer answer = answerOf(request);
        NearMatchAnswers.Result result = ReferralIds.isWellFormed(id)
                ? answers.answer(agency.id(), id, answer, "agency:" + agency.id(), Instant.now(clock))
                : new NearMatchAnswers.NotFound();
        if (result instanceof NearMatchAnswers.NotHeld notHeld) {
            throw new ApiProblem(409, "not-held", "Not held as a near match",
                    "Referral " + id + " is " + notHeld.referral().status().code() + " and waits for no answer.");
        }
        if (!(result instanceof NearMatchAnswers.Answered answered)) {
            throw new ApiProblem(404, "not-found", "No such referral", "Your agency has no referral with this id.");
        }
        Referral referral = answered.referral();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("referralId", referral.referralId());
        body.put("status", referral.status().code());
        body.put("statusReason", referral.statusReason());
        body.put("partnerId", referral.partnerId());
        body.put("deliveryState", referral.delivery() == null ? null : referral.delivery().state().code());
        exchange.getMessage().setBody(ApiReply.json(200, body));
    }

    private static NearMatch.Answer answerOf(ApiRequest request) {
        JsonNode body;
        try {
            body = WebhookPayload.read(request.body());
        } catch (IOException e) {
            body = null;
        }
        return NearMatch.Answer.of(body == null ? null : body.path("answer").asText(null)).orElseThrow(() ->
                new ApiProblem(400, "malformed", "Malformed answer", NearMatch.Answer.HOW));
    }
}
