package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.referralhub.referral.CanonicalJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The administrators' command line: a thin client of the admin API, nothing it can do that the API cannot.
 * Exit codes: 0 done, 1 the hub refused (the problem is printed), 2 usage, 3 the hub could not be reached.
 */
@Command(name = "referral-hub", mixinStandardHelpOptions = true, version = "referral-hub 0.1",
        description = "Administer a referral hub through its admin API.",
        subcommands = {AdminCli.SandboxCommand.class, AdminCli.ConfigCommand.class, AdminCli.ReferralCommand.class,
                AdminCli.HashPasswordCommand.class})
public final class AdminCli {

    static final int REFUSED = 1;
    static final int UNREACHABLE = 3;

    @Option(names = "--hub", defaultValue = "${env:REFERRAL_HUB_URL:-http://localhost:8080}",
            description = "The hub's base URL (env REFERRAL_HUB_URL; default ${DEFAULT-VALUE}).")
    String hub;

    @Option(names = "--token", defaultValue = "${env:REFERRAL_HUB_ADMIN_TOKEN}",
            description = "An administrator's token (env REFERRAL_HUB_ADMIN_TOKEN).")
    String token;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line, writing to the given streams; answers the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new AdminCli());
        resource(cli, "agencies", "/agencies", "agency", "Referral agencies: channels, mappings, API keys.",
                List.of("keys ID", "create-key ID", "rotate-key ID (new key; every other key stops working)", "revoke-key ID KEY-ID"));
        resource(cli, "partners", "/partners", "partner",
                "Delivery partners: intake channel, service area, sectors, capacity (capacity.status=accepting|waitlist|full).",
                List.of("rotate-secret ID (a new webhook signing secret)"));
        resource(cli, "programs", "/programs", "program", "Programs and their eligibility rules.", List.of());
        resource(cli, "mappings", "/mappings", "mapping", "Mappings of agencies' fields onto the canonical referral.", List.of());
        resource(cli, "rules", "/routing/rules", "routing rule",
                "Routing rules, in order: the first that matches and has a partner with room decides.",
                List.of("move ID POSITION (0 is first)"));
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            // everything written reaches the streams before the exit code does (main exits right after)
            out.flush();
            err.flush();
        }
    }

    private static void resource(CommandLine cli, String name, String path, String noun, String description,
                                 List<String> extra) {
        ResourceCommand command = new ResourceCommand(path, noun, extra);
        CommandLine sub = new CommandLine(command);
        sub.getCommandSpec().usageMessage().description(description, command.actions());
        cli.addSubcommand(name, sub);
    }

    /** The admin API with this command line's hub and token, or null (the reason printed) when there is no token. */
    AdminApiClient api(PrintWriter err) {
        if (token == null || token.isBlank()) {
            err.println("an admin token is needed: --token or REFERRAL_HUB_ADMIN_TOKEN");
            return null;
        }
        return new AdminApiClient(hub, token);
    }

    /** Prints an answer: pretty JSON, or YAML for people. */
    static void print(PrintWriter out, JsonNode body, String output) throws java.io.IOException {
        if ("json".equals(output)) {
            out.println(CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        } else {
            out.print(new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .writeValueAsString(body).replaceFirst("^---\\n", ""));
        }
    }

    /** {@code referral-hub config export|import FILE|history|version N|restore N}: the whole configuration. */
    @Command(name = "config", mixinStandardHelpOptions = true,
            description = {"The whole configuration: export (YAML, secrets masked), import FILE (YAML or JSON; masked "
                    + "secrets are kept), history [--limit N] (who changed what, when), version N, restore N "
                    + "(credentials stay as they are now)."})
    static final class ConfigCommand implements Callable<Integer> {

        @CommandLine.ParentCommand
        AdminCli parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ACTION", description = "export, import, history, version or restore.")
        String action;

        @Parameters(index = "1", arity = "0..1", paramLabel = "ARG", description = "The file (import) or version number.")
        String arg;

        @Option(names = "--limit", defaultValue = "20", description = "Versions to list (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
        String output;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AdminApiClient api = parent.api(err);
            if (api == null) {
                return CommandLine.ExitCode.USAGE;
            }
            if (!action.equals("export") && !action.equals("history") && arg == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), action + " needs an argument");
            }
            try {
                AdminApiClient.Answer answer = switch (action) {
                    case "export" -> api.send("GET", "/config", (JsonNode) null);
                    case "import" -> api.send("PUT", "/config", arg.endsWith(".json") ? "application/json" : "application/yaml",
                            Files.readString(Path.of(arg)));
                    case "history" -> api.send("GET", "/config/versions?limit=" + limit, (JsonNode) null);
                    case "version" -> api.send("GET", "/config/versions/" + arg, (JsonNode) null);
                    case "restore" -> api.send("POST", "/config/versions/" + arg + "/restore", (JsonNode) null);
                    default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown action '" + action
                            + "': export, import, history, version or restore");
                };
                if (!answer.ok()) {
                    AdminApiClient.printRefusal(err, answer);
                    return REFUSED;
                }
                if (action.equals("history") && !"json".equals(output)) {
                    out.printf("%-8s %-25s %-20s %s%n", "VERSION", "AT", "BY", "SUMMARY");
                    for (JsonNode v : answer.body().path("versions")) {
                        out.printf("%-8s %-25s %-20s %s%n", v.path("version").asText(), v.path("at").asText(),
                                v.path("by").asText(), v.path("summary").asText());
                    }
                } else if (action.equals("import") || action.equals("restore")) {
                    out.println(action + "ed: the configuration in force is now the next version");
                } else {
                    print(out, answer.body(), output);
                }
                return CommandLine.ExitCode.OK;
            } catch (AdminApiClient.Unreachable e) {
                err.println(e.getMessage());
                return UNREACHABLE;
            }
        }
    }

    /** {@code referral-hub referral ID}: a referral's status, routing, deliveries and history. */
    @Command(name = "referral", mixinStandardHelpOptions = true,
            description = "Show a referral: its status, where it was routed and why, each delivery attempt, its history.")
    static final class ReferralCommand implements Callable<Integer> {

        @CommandLine.ParentCommand
        AdminCli parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The referral's id.")
        String id;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
        String output;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AdminApiClient api = parent.api(err);
            if (api == null) {
                return CommandLine.ExitCode.USAGE;
            }
            try {
                AdminApiClient.Answer answer = api.send("GET", "/referrals/" + id, (JsonNode) null);
                if (!answer.ok()) {
                    AdminApiClient.printRefusal(err, answer);
                    return REFUSED;
                }
                JsonNode r = answer.body();
                if ("json".equals(output)) {
                    print(out, r, output);
                    return CommandLine.ExitCode.OK;
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
                return CommandLine.ExitCode.OK;
            } catch (AdminApiClient.Unreachable e) {
                err.println(e.getMessage());
                return UNREACHABLE;
            }
        }
    }

    /** {@code referral-hub hash-password <password>}: the digest to put in an agency's {@code sftp.passwordHash}. */
    @Command(name = "hash-password", mixinStandardHelpOptions = true,
            description = "Print the PBKDF2 digest of an SFTP password, for the configuration (sftp.passwordHash).")
    static final class HashPasswordCommand implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "PASSWORD", description = "The password.")
        String password;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(org.referralhub.config.Passwords.hash(password));
            return CommandLine.ExitCode.OK;
        }
    }

    /** {@code referral-hub sandbox --agency cet sample.json}: what a sample would produce, storing nothing. */
    @Command(name = "sandbox", mixinStandardHelpOptions = true,
            description = "Show what a sample (JSON payload, CSV/XLSX/JSON file or raw e-mail) would produce for an agency.")
    static final class SandboxCommand implements Callable<Integer> {

        @CommandLine.ParentCommand
        AdminCli parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-a", "--agency"}, required = true, description = "The agency's id.")
        String agency;

        @Option(names = {"-c", "--channel"}, description = "webhook, file or email (default: from the file name).")
        String channel;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
        String output;

        @Parameters(paramLabel = "SAMPLE", description = "The sample file.")
        Path sample;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (parent.token == null || parent.token.isBlank()) {
                err.println("an admin token is needed: --token or REFERRAL_HUB_ADMIN_TOKEN");
                return CommandLine.ExitCode.USAGE;
            }
            String name = sample.getFileName().toString().toLowerCase(Locale.ROOT);
            String kind = channel != null ? channel : name.endsWith(".eml") ? "email"
                    : name.endsWith(".csv") || name.endsWith(".xlsx") || name.endsWith(".jsonl") || name.endsWith(".txt") ? "file"
                    : "webhook";
            ObjectNode request = CanonicalJson.MAPPER.createObjectNode().put("agencyId", agency).put("channel", kind)
                    .put("fileName", sample.getFileName().toString())
                    .put("contentBase64", Base64.getEncoder().encodeToString(Files.readAllBytes(sample)));
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                        HttpRequest.newBuilder(URI.create(parent.hub.replaceAll("/+$", "") + "/admin/v1/sandbox"))
                                .header("Authorization", "Bearer " + parent.token.trim())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(CanonicalJson.write(request), StandardCharsets.UTF_8))
                                .build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                err.println("the hub at " + parent.hub + " could not be reached: " + e.getClass().getSimpleName());
                return UNREACHABLE;
            }
            JsonNode body = CanonicalJson.MAPPER.readTree(response.body());
            if (response.statusCode() != 200) {
                err.println(body.path("title").asText("refused") + ": " + body.path("detail").asText());
                return REFUSED;
            }
            if ("json".equals(output)) {
                out.println(CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
            } else {
                table(out, body);
            }
            return CommandLine.ExitCode.OK;
        }

        private static void table(PrintWriter out, JsonNode body) {
            out.printf("%-26s %-10s %-18s %-22s %s%n", "WHERE", "OUTCOME", "PARTNER", "RULE", "REASONS");
            for (JsonNode item : body.path("referrals")) {
                JsonNode referral = item.path("referral");
                if (referral.isMissingNode()) {
                    StringBuilder reasons = new StringBuilder();
                    item.path("errors").forEach(e -> reasons.append(reasons.isEmpty() ? "" : "; ")
                            .append(e.path("field").asText()).append(' ').append(e.path("message").asText()));
                    out.printf("%-26s %-10s %-18s %-22s %s%n", item.path("where").asText(), "refused", "-", "-", reasons);
                } else {
                    StringBuilder reasons = new StringBuilder();
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
}
