package org.referralhub.camel.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.admin.QuarantineReplay;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.Endpoints;
import org.referralhub.delivery.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What waits for a person: deliveries and notices given up ({@link DeadLetters}) and inputs quarantined
 * ({@link QuarantineReplay}) — listed, and replayed once the cause is fixed.
 */
public final class ReplayAdminRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayAdminRoutes.class);

    private final DeadLetters deadLetters;
    private final QuarantineReplay quarantine;

    public ReplayAdminRoutes(DeadLetters deadLetters, QuarantineReplay quarantine) {
        this.deadLetters = deadLetters;
        this.quarantine = quarantine;
    }

    @Override
    public void configure() {
        from(Endpoints.ADMIN_REPLAY).routeId("admin-replay").routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> e.getMessage().setBody(answer(e.getMessage().getMandatoryBody(AdminCall.class))));
    }

    private ApiReply answer(AdminCall call) {
        return switch (call.operation()) {
            case QUARANTINE_LIST -> ApiReply.json(200, Map.of("quarantined", quarantine.list()));
            case QUARANTINE_REPLAY -> ApiReply.json(200, quarantine.replay(call.path("receiptId"), call.by()));
            case QUARANTINE_REPLAY_MANY -> {
                JsonNode body = call.object();
                yield ApiReply.json(200, Map.of("replayed", quarantine.replay(new QuarantineReplay.Selection(ids(body),
                        body.path("channel").asText(null), body.path("reason").asText(null),
                        body.path("agency").asText(null), body.path("all").asBoolean(false)), call.by())));
            }
            case DEAD_LETTERS_LIST -> {
                String partner = call.request().query("partner");
                String kind = call.request().query("kind");
                yield ApiReply.json(200, Map.of("deadLetters", deadLetters.list().stream()
                        .filter(d -> partner == null || partner.equals(d.partnerId()))
                        .filter(d -> kind == null || kind.equals(d.kind())).toList()));
            }
            case DEAD_LETTERS_REPLAY -> replayDeadLetters(call);
            default -> throw new IllegalStateException(call.operation() + " is not the replays'");
        };
    }

    private ApiReply replayDeadLetters(AdminCall call) {
        JsonNode body = call.object();
        Set<String> ids = ids(body);
        String partner = body.path("partner").asText(null);
        String kind = body.path("kind").asText(null);
        if (ids.isEmpty() && partner == null && kind == null && !body.path("all").asBoolean(false)) {
            throw new ApiProblem(400, "malformed", "Replay what?",
                    "Send {\"ids\": [...]}, a filter {\"partner\": ..., \"kind\": \"delivery|notice\"}, or {\"all\": true}.");
        }
        List<String> replayed = deadLetters.replay(d -> (ids.isEmpty() || ids.contains(d.id()))
                && (partner == null || partner.equals(d.partnerId())) && (kind == null || kind.equals(d.kind())), call.by());
        LOG.info("admin {} replayed {} dead letter(s)", call.by(), replayed.size());
        return ApiReply.json(200, Map.of("replayed", replayed));
    }

    private static Set<String> ids(JsonNode body) {
        Set<String> ids = new HashSet<>();
        body.path("ids").forEach(i -> ids.add(i.asText()));
        return ids;
    }
}
