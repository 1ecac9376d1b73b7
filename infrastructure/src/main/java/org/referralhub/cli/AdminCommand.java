package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.referralhub.referral.CanonicalJson;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What every command of the administrators' command line shares: the hub and token of the parent command, the
 * output format, and the exit codes — 0 done, 1 the hub refused (its reasons printed), 2 usage, 3 unreachable.
 */
abstract class AdminCommand implements Callable<Integer> {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @CommandLine.ParentCommand
    AdminCli parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
    String output;

    /** The command's work, once a token is known: calls of the admin API, answered with an exit code. */
    abstract int run(AdminApiClient api, PrintWriter out, PrintWriter err) throws Exception;

    @Override
    public final Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (parent.token == null || parent.token.isBlank()) {
            err.println("an admin token is needed: --token or REFERRAL_HUB_ADMIN_TOKEN");
            return CommandLine.ExitCode.USAGE;
        }
        try {
            return run(new AdminApiClient(parent.hub, parent.token), spec.commandLine().getOut(), err);
        } catch (AdminApiClient.Unreachable e) {
            err.println(e.getMessage());
            return AdminCli.UNREACHABLE;
        }
    }

    /** OK after printing the answer with {@code printer}, or REFUSED after printing the hub's reasons. */
    static int answer(AdminApiClient.Answer answer, PrintWriter err, Printer printer) throws IOException {
        if (!answer.ok()) {
            AdminApiClient.printRefusal(err, answer);
            return AdminCli.REFUSED;
        }
        printer.print(answer.body());
        return CommandLine.ExitCode.OK;
    }

    @FunctionalInterface
    interface Printer {
        void print(JsonNode body) throws IOException;
    }

    /** Pretty JSON with {@code -o json}, else YAML for people. */
    void print(PrintWriter out, JsonNode body) throws IOException {
        if (body == null) {
            return;
        }
        if ("json".equals(output)) {
            out.println(CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        } else {
            out.print(YAML.writeValueAsString(body).replaceFirst("^---\\n", ""));
        }
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
