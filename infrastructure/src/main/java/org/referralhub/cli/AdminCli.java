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
        subcommands = {AdminCli.SandboxCommand.class, AdminCli.HashPasswordCommand.class})
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
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
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
