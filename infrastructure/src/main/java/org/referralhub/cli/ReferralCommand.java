package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code referral-hub referral ID}: a referral's status, routing, deliveries and history; {@code --erase REASON}
 * erases the client's data on request; {@code --near-match another-client|same-client} answers for its agency about a
 * referral held as a near match.
 */
@Command(name = "referral", mixinStandardHelpOptions = true,
        description = "Show a referral: its status, where it was routed and why, each delivery attempt, its history.")
final class ReferralCommand extends AdminCommand {

    @Parameters(paramLabel = "ID", description = "The referral's id.")
    String id;

    @Option(names = "--erase", paramLabel = "REASON",
            description = "Erase the client's data on request (the referral, its claim, its archived payload); the "
                    + "reason, without personal data, is kept in the erasure record.")
    String erase;

    @Option(names = "--near-match", paramLabel = "ANSWER",
            description = "Answer for the agency about a referral held as a near match: another-client (route and "
                    + "deliver it) or same-client (cancel it; the earlier referral stays).")
    String nearMatch;

    @Override
    int run(AdminApiClient api, PrintWriter out, PrintWriter err) throws Exception {
        if (erase != null) {
            ObjectNode request =
                    JsonMapper.builder().build().createObjectNode().put("reason", erase);
            return answer(api.send("POST", "/referrals/" + id + "/erase", request), err, r ->
                    out.println("erased " + r.path("referralId").asText() + " at " + r.path("erasedAt").asText()
                            + ": removed " + String.join(", ", StreamSupport
                            .stream(r.path("removed").spliterator(), false).map(JsonNode::asText).toList())));
        }
        if (nearMatch != null) {
            ObjectNode request = JsonMapper.builder().build().createObjectNode().put("answer", nearMatch);
            return answer(api.send("POST", "/referrals/" + id + "/near-match", request), err, r ->
                    out.println("referral " + r.path("referralId").asText() + " is " + r.path("status").asText()
                            + (r.hasNonNull("statusReason") ? " (" + r.get("statusReason").asText() + ")" : "")
                            + (r.hasNonNull("routing") ? ", routed to " + r.at("/routing/partnerId").asText() : "")));
        }
        return answer(api.send("GET", "/referrals/" + id, (JsonNode) null), err, r -> {
            if ("json".equals(output)) {
                print(out, r);
                return;
            }
            out.println("referral " + r.path("referralId").asText() + " from " + r.at("/source/agencyId").asText()
                    + " (" + r.at("/source/channel").asText() + ")");
            out.println("status   " + r.path("status").asText() + (r.hasNonNull("statusReason")
                    ? " (" + r.get("statusReason").asText() + ")" : ""));
            if (r.has("routing")) {
                out.println("routed   to " + r.at("/routing/partnerId").asText() + " by rule " + r.at("/routing/ruleId").asText());
                r.at("/routing/passedOver").forEach(p -> out.println("         passed over " + p.asText()));
            }
            r.at("/screening/reasons").forEach(x -> out.println("screening " + x.path("code").asText() + ": "
                    + x.path("message").asText()));
            out.printf("%-25s %-12s %-14s %s%n", "AT", "STATUS", "BY", "REASON");
            for (JsonNode h : r.path("statusHistory")) {
                out.printf("%-25s %-12s %-14s %s%n", h.path("at").asText(), h.path("status").asText(),
                        h.path("by").asText(), h.path("reason").asText(""));
            }
            for (JsonNode a : r.at("/delivery/attempts")) {
                out.printf("%-25s attempt %s: %s %s%n", a.path("at").asText(), a.path("number").asText(),
                        a.path("outcome").asText(), a.path("detail").asText(""));
            }
        });
    }
}
