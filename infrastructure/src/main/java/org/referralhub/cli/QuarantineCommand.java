package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code referral-hub quarantine list|replay RECEIPT…|replay --all|--channel|--reason|--agency}: inputs the hub would
 * not take, and running them again.
 */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = {"Inputs the hub quarantined (e-mail from a sender no agency allows, unreadable or failing SES's "
                + "checks; files with rejected rows): list them with why, and replay them from their archived copy "
                + "once the cause is fixed (a sender allowed, a mapping corrected). A replay never stores a referral "
                + "twice; a quarantined input is replayed at most once (a file still with rejected rows is listed again)."})
final class QuarantineCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ACTION", description = "list or replay")
    String action;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "RECEIPT", description = "Receipt ids to replay.")
    List<String> receipts = new ArrayList<>();

    @Option(names = "--channel", description = "Only inputs of this channel: email or sftp.")
    String channel;

    @Option(names = "--reason", description = "Only inputs quarantined for this reason (unknown-sender, rejected-rows…).")
    String reason;

    @Option(names = "--agency", description = "Only this agency's inputs.")
    String agency;

    @Option(names = "--all", description = "Replay every quarantined input.")
    boolean all;

    @Override
    int run(AdminApiClient api, PrintWriter out, PrintWriter err) throws Exception {
        if (action.equals("list")) {
            return answer(api.send("GET", "/quarantine", (JsonNode) null), err, body -> {
                if ("json".equals(output)) {
                    print(out, body);
                    return;
                }
                out.printf("%-28s %-8s %-22s %s%n", "RECEIPT", "CHANNEL", "REASON", "DETAIL");
                for (JsonNode q : body.path("quarantined")) {
                    out.printf("%-28s %-8s %-22s %s%n", q.path("receiptId").asText(), q.path("channel").asText(),
                            q.path("reason").asText(), q.path("detail").asText(""));
                }
                out.println(body.path("quarantined").size() + " quarantined");
            });
        }
        if (!action.equals("replay")) {
            throw usage("list, or replay RECEIPT… | --all | --channel C | --reason R | --agency A");
        }
        if (receipts.size() == 1 && channel == null && reason == null && agency == null && !all) {
            String receipt = receipts.get(0);
            return answer(api.send("POST", "/quarantine/" + receipt + "/replay", (JsonNode) null), err, body ->
                    out.println("replayed " + receipt + ": " + describe(body)));
        }
        if (receipts.isEmpty() && channel == null && reason == null && agency == null && !all) {
            throw usage("replay RECEIPT…, or a filter: --all, --channel, --reason, --agency");
        }
        ObjectNode request = JsonMapper.builder().build().createObjectNode();
        receipts.forEach(request.putArray("ids")::add);
        if (channel != null) {
            request.put("channel", channel);
        }
        if (reason != null) {
            request.put("reason", reason);
        }
        if (agency != null) {
            request.put("agency", agency);
        }
        request.put("all", all);
        return answer(api.send("POST", "/quarantine/replay", request), err, body -> {
            for (JsonNode r : body.path("replayed")) {
                out.println("replayed " + r.path("receiptId").asText() + ": "
                        + (r.has("refused") ? "refused (" + r.path("refused").asText() + ")" : describe(r.path("outcome"))));
            }
            out.println(body.path("replayed").size() + " replayed");
        });
    }

    /** An e-mail's outcome (disposition, referral ids) or a file's (accepted, rejected). */
    private static String describe(JsonNode body) {
        if (body.has("disposition")) {
            return body.path("disposition").asText()
                    + (body.path("referralIds").size() > 0 ? " " + body.path("referralIds") : "")
                    + (body.hasNonNull("reason") ? " (" + body.path("reason").asText() + ")" : "");
        }
        return body.path("accepted").asInt() + " accepted, " + body.path("rejected").asInt() + " rejected (results in "
                + body.path("resultsKey").asText() + ")";
    }
}
