package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code referral-hub report funnel [--from D] [--to D] [--agency A]...}: the program's funnel. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"The program's funnel over a period: received, eligible, delivered, accepted, registered, "
                + "matched, rejected with reasons, conversion rates and median days to first contact and to "
                + "registration — in total and per program, agency and partner. -o table, json or csv."})
final class ReportCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "REPORT", description = "funnel")
    String report;

    @Option(names = "--from", description = "First day (2026-01-01) or instant; default a year before --to.")
    String from;

    @Option(names = "--to", description = "End, exclusive (2027-01-01) or instant; default now.")
    String to;

    @Option(names = "--program", description = "Only this program.")
    String program;

    @Option(names = "--agency", description = "Only this agency.")
    String agency;

    @Option(names = "--partner", description = "Only this partner.")
    String partner;

    @Override
    int run(AdminApiClient api, PrintWriter out, PrintWriter err) throws Exception {
        if (!report.equals("funnel")) {
            throw usage("the report is 'funnel'");
        }
        List<String> query = new ArrayList<>();
        add(query, "from", from);
        add(query, "to", to);
        add(query, "program", program);
        add(query, "agency", agency);
        add(query, "partner", partner);
        if ("csv".equals(output)) {
            query.add("format=csv");
        }
        AdminApiClient.Answer answer = api.send("GET", "/reports/funnel" + (query.isEmpty() ? "" : "?" + String.join("&", query)),
                (JsonNode) null);
        if (!answer.ok()) {
            AdminApiClient.printRefusal(err, answer);
            return AdminCli.REFUSED;
        }
        if ("csv".equals(output)) {
            out.print(answer.text());
        } else if ("json".equals(output)) {
            print(out, answer.body());
        } else {
            table(out, answer.body());
        }
        return 0;
    }

    private static void add(List<String> query, String name, String value) {
        if (value != null) {
            query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static void table(PrintWriter out, JsonNode report) {
        out.println("funnel from " + report.path("from").asText() + " to " + report.path("to").asText());
        String format = "%-8s %-22s %8s %8s %9s %8s %10s %7s %8s %6s %6s %9s %9s%n";
        out.printf(format, "GROUP", "ID", "RECEIVED", "ELIGIBLE", "DELIVERED", "ACCEPTED", "REGISTERED", "MATCHED",
                "REJECTED", "REG%", "MATCH%", "DAYS-CONT", "DAYS-REG");
        List<JsonNode> rows = new ArrayList<>();
        rows.add(report.path("total"));
        report.path("byProgram").forEach(rows::add);
        report.path("byAgency").forEach(rows::add);
        report.path("byPartner").forEach(rows::add);
        for (JsonNode r : rows) {
            out.printf(format, r.path("group").asText(), r.path("id").asText(), r.path("received").asText(),
                    r.path("eligible").asText(), r.path("delivered").asText(), r.path("accepted").asText(),
                    r.path("registered").asText(), r.path("matched").asText(), r.path("rejected").asText(),
                    percent(r.at("/rates/registeredOfReceived")), percent(r.at("/rates/matchedOfReceived")),
                    r.path("medianDaysToFirstContact").asText("-"), r.path("medianDaysToRegistration").asText("-"));
        }
        JsonNode reasons = report.at("/total/rejectedReasons");
        if (reasons.size() > 0) {
            out.println("rejected because:");
            reasons.fields().forEachRemaining(e -> out.printf("  %5d  %s%n", e.getValue().asLong(), e.getKey()));
        }
    }

    private static String percent(JsonNode rate) {
        return rate.isNumber() ? Math.round(rate.asDouble() * 100) + "%" : "-";
    }
}
