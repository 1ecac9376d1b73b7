package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.referralhub.referral.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code referral-hub dead-letters list|replay ...}: what the hub gave up on, and trying it again. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"Deliveries whose attempts ran out and agency notices given up: list them with why each failed, "
                + "replay one or more by id, all of a partner (--partner), of a kind (--kind delivery|notice), or --all. "
                + "A replayed delivery keeps its idempotency id; replaying what is no longer dead does nothing."})
final class DeadLettersCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ACTION", description = "list or replay")
    String action;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "ID", description = "Dead letters to replay, by id.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--partner", description = "Only this partner's.")
    String partner;

    @Option(names = "--kind", description = "delivery or notice.")
    String kind;

    @Option(names = "--all", description = "Replay every dead letter.")
    boolean all;

    @Override
    int run(AdminApiClient api, PrintWriter out, PrintWriter err) throws Exception {
        if (action.equals("list")) {
            StringBuilder query = new StringBuilder();
            if (partner != null) {
                query.append(query.isEmpty() ? "?" : "&").append("partner=").append(partner);
            }
            if (kind != null) {
                query.append(query.isEmpty() ? "?" : "&").append("kind=").append(kind);
            }
            return answer(api.send("GET", "/dead-letters" + query, (JsonNode) null), err, body -> {
                if ("json".equals(output)) {
                    print(out, body);
                    return;
                }
                out.printf("%-9s %-28s %-16s %-14s %-8s %-9s %s%n", "KIND", "ID", "PARTNER", "AGENCY", "CHANNEL",
                        "ATTEMPTS", "LAST ERROR");
                for (JsonNode d : body.path("deadLetters")) {
                    out.printf("%-9s %-28s %-16s %-14s %-8s %-9s %s%n", d.path("kind").asText(), d.path("id").asText(),
                            d.path("partnerId").asText("-"), d.path("agencyId").asText("-"), d.path("channel").asText("-"),
                            d.path("attempts").asText(), d.path("lastError").asText(""));
                }
                out.println(body.path("deadLetters").size() + " dead letter(s)");
            });
        }
        if (!action.equals("replay")) {
            throw usage("the action is list or replay");
        }
        if (ids.isEmpty() && partner == null && kind == null && !all) {
            throw usage("replay needs ids, --partner, --kind or --all");
        }
        ObjectNode request = CanonicalJson.MAPPER.createObjectNode();
        ids.forEach(request.putArray("ids")::add);
        if (partner != null) {
            request.put("partner", partner);
        }
        if (kind != null) {
            request.put("kind", kind);
        }
        if (all) {
            request.put("all", true);
        }
        return answer(api.send("POST", "/dead-letters/replay", request), err, body -> {
            body.path("replayed").forEach(id -> out.println("replayed " + id.asText()));
            out.println(body.path("replayed").size() + " replayed");
        });
    }
}
