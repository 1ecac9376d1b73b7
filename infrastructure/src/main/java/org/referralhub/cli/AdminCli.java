package org.referralhub.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.referralhub.config.Passwords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The administrators' command line: a thin client of the admin API, nothing it can do that the API cannot.
 * Exit codes: 0 done, 1 the hub refused (the problem is printed), 2 usage, 3 the hub could not be reached.
 */
@Command(name = "referral-hub", mixinStandardHelpOptions = true, version = "referral-hub 0.1",
        description = "Administer a referral hub through its admin API.",
        subcommands = {SandboxCommand.class, ConfigCommand.class, ReferralCommand.class, ReportCommand.class, DeadLettersCommand.class, QuarantineCommand.class,
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
                List.of("keys ID", "create-key ID", "rotate-key ID", "revoke-key ID KEY-ID (the keys partners report outcomes with)",
                        "rotate-secret ID (a new webhook signing secret)"));
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
            spec.commandLine().getOut().println(Passwords.hash(password));
            return CommandLine.ExitCode.OK;
        }
    }
}
