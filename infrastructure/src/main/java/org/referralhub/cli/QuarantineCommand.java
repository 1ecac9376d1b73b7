package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code referral-hub quarantine list|replay RECEIPT}: inputs the hub would not take, and running one again. */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = {"Inputs the hub quarantined (e-mail from a sender no agency allows, unreadable or failing SES's "
                + "checks): list them with why, and replay one from its archived copy once the cause is fixed. "
                + "A quarantined input is replayed at most once."})
final class QuarantineCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ACTION", description = "list or replay")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RECEIPT", description = "The receipt id to replay.")
    String receipt;

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
        if (!action.equals("replay") || receipt == null) {
            throw usage("list, or replay RECEIPT");
        }
        return answer(api.send("POST", "/quarantine/" + receipt + "/replay", (JsonNode) null), err, body -> {
            out.println("replayed " + receipt + ": " + body.path("disposition").asText()
                    + (body.path("referralIds").size() > 0 ? " " + body.path("referralIds") : "")
                    + (body.hasNonNull("reason") ? " (" + body.path("reason").asText() + ")" : ""));
        });
    }
}
