package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import org.referralhub.referral.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code referral-hub sandbox --agency cet sample.json}: what a sample would produce, storing nothing. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Show what a sample (JSON payload, CSV/XLSX/JSON file or raw e-mail) would produce for an agency.")
final class SandboxCommand extends AdminCommand {

    @Option(names = {"-a", "--agency"}, required = true, description = "The agency's id.")
    String agency;

    @Option(names = {"-c", "--channel"}, description = "webhook, file or email (default: from the file name).")
    String channel;

    @Parameters(paramLabel = "SAMPLE", description = "The sample file.")
    Path sample;

    @Override
    int run(AdminApiClient api, PrintWriter out, PrintWriter err) throws Exception {
        String name = sample.getFileName().toString().toLowerCase(Locale.ROOT);
        String kind = channel != null ? channel : name.endsWith(".eml") ? "email"
                : name.endsWith(".csv") || name.endsWith(".xlsx") || name.endsWith(".jsonl") || name.endsWith(".txt") ? "file"
                : "webhook";
        ObjectNode request = CanonicalJson.MAPPER.createObjectNode().put("agencyId", agency).put("channel", kind)
                .put("fileName", sample.getFileName().toString())
                .put("contentBase64", Base64.getEncoder().encodeToString(Files.readAllBytes(sample)));
        return answer(api.send("POST", "/sandbox", request), err, body -> {
            if ("json".equals(output)) {
                print(out, body);
            } else {
                table(out, body);
            }
        });
    }

    private static void table(PrintWriter out, JsonNode body) {
        out.printf("%-26s %-10s %-18s %-22s %s%n", "WHERE", "OUTCOME", "PARTNER", "RULE", "REASONS");
        for (JsonNode item : body.path("referrals")) {
            JsonNode referral = item.path("referral");
            StringBuilder reasons = new StringBuilder();
            if (referral.isMissingNode()) {
                item.path("errors").forEach(e -> reasons.append(reasons.isEmpty() ? "" : "; ")
                        .append(e.path("field").asText()).append(' ').append(e.path("message").asText()));
                out.printf("%-26s %-10s %-18s %-22s %s%n", item.path("where").asText(), "refused", "-", "-", reasons);
            } else {
                referral.path("screening").path("reasons").forEach(r -> reasons.append(reasons.isEmpty() ? "" : "; ")
                        .append(r.path("code").asText()));
                out.printf("%-26s %-10s %-18s %-22s %s%n", item.path("where").asText(), referral.path("status").asText(),
                        referral.path("routing").path("partnerId").asText("-"),
                        referral.path("routing").path("ruleId").asText("-"), reasons);
            }
        }
        body.path("problems").forEach(p -> out.println("problem: " + p.asText()));
        out.printf("%d would be accepted, %d refused%n", body.path("accepted").asInt(), body.path("rejected").asInt());
    }
}
