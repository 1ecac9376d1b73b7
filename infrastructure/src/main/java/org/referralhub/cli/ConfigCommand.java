package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code referral-hub config export|import FILE|history|version N|restore N}: the whole configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"The whole configuration: export (YAML, secrets masked), import FILE (YAML or JSON; masked "
                + "secrets are kept), history [--limit N] (who changed what, when), version N, restore N "
                + "(credentials stay as they are now)."})
final class ConfigCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ACTION", description = "export, import, history, version or restore.")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ARG", description = "The file (import) or version number.")
    String arg;

    @Option(names = "--limit", defaultValue = "20", description = "Versions to list (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(AdminApiClient api, PrintWriter out, PrintWriter err) throws Exception {
        if (!action.equals("export") && !action.equals("history") && arg == null) {
            throw usage(action + " needs an argument");
        }
        AdminApiClient.Answer answer = switch (action) {
            case "export" -> api.send("GET", "/config", (JsonNode) null);
            case "import" -> api.send("PUT", "/config", arg.endsWith(".json") ? "application/json" : "application/yaml",
                    Files.readString(Path.of(arg)));
            case "history" -> api.send("GET", "/config/versions?limit=" + limit, (JsonNode) null);
            case "version" -> api.send("GET", "/config/versions/" + arg, (JsonNode) null);
            case "restore" -> api.send("POST", "/config/versions/" + arg + "/restore", (JsonNode) null);
            default -> throw usage("unknown action '" + action + "': export, import, history, version or restore");
        };
        return answer(answer, err, body -> {
            if (action.equals("history") && !"json".equals(output)) {
                out.printf("%-8s %-25s %-20s %s%n", "VERSION", "AT", "BY", "SUMMARY");
                for (JsonNode v : body.path("versions")) {
                    out.printf("%-8s %-25s %-20s %s%n", v.path("version").asText(), v.path("at").asText(),
                            v.path("by").asText(), v.path("summary").asText());
                }
            } else if (action.equals("import") || action.equals("restore")) {
                out.println(action + "ed: the configuration in force is now the next version");
            } else {
                print(out, body);
            }
        });
    }
}
