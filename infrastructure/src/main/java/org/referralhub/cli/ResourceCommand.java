package org.referralhub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.referralhub.referral.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code referral-hub agencies|partners|programs|mappings|rules ACTION [ID] ...}: one kind of configuration resource
 * of the admin API. Actions: list, show, create, update (a merge patch: --set path=value or --file), replace,
 * delete; and the kind's own (keys of agencies, signing secrets of partners, the order of rules).
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class ResourceCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "ACTION", description = "What to do (see above).")
    String action;

    @Parameters(index = "1..*", paramLabel = "ARG", arity = "0..*", description = "The id, then any further argument.")
    List<String> args = new ArrayList<>();

    @Option(names = {"-f", "--file"}, description = "A JSON or YAML file with the resource (create, replace) or the change (update).")
    Path file;

    @Option(names = {"-s", "--set"}, description = "path=value, repeatable: capacity.status=full, languages=[\"en\",\"fr\"].")
    Map<String, String> set;

    private final String path;
    private final String noun;
    private final List<String> extraActions;

    ResourceCommand(String path, String noun, List<String> extraActions) {
        this.path = path;
        this.noun = noun;
        this.extraActions = extraActions;
    }

    /** The actions this kind offers, for --help. */
    String actions() {
        List<String> all = new ArrayList<>(List.of("list", "show ID", "create (-f FILE | -s ...)", "update ID (-f FILE | -s ...)",
                "replace ID -f FILE", "delete ID"));
        all.addAll(extraActions);
        return "One of: " + String.join(", ", all) + ".";
    }

    @Override
    int run(AdminApiClient api, PrintWriter out, PrintWriter err) throws Exception {
        AdminApiClient.Answer answer;
        try {
            answer = switch (action) {
                case "list" -> api.send("GET", path, (JsonNode) null);
                case "show" -> api.send("GET", path + "/" + id(0), (JsonNode) null);
                case "create" -> api.send("POST", path, body(true));
                case "update" -> api.send("PATCH", path + "/" + id(0), body(false));
                case "replace" -> api.send("PUT", path + "/" + id(0), body(true));
                case "delete" -> api.send("DELETE", path + "/" + id(0), (JsonNode) null);
                case "keys" -> api.send("GET", path + "/" + id(0) + "/keys", (JsonNode) null);
                case "create-key" -> api.send("POST", path + "/" + id(0) + "/keys", CanonicalJson.MAPPER.createObjectNode());
                case "rotate-key" -> api.send("POST", path + "/" + id(0) + "/keys/rotate", (JsonNode) null);
                case "revoke-key" -> api.send("DELETE", path + "/" + id(0) + "/keys/" + id(1), (JsonNode) null);
                case "rotate-secret" -> api.send("POST", path + "/" + id(0) + "/signing-secret/rotate", (JsonNode) null);
                case "move" -> api.send("POST", path + "/" + id(0) + "/move",
                        CanonicalJson.MAPPER.createObjectNode().put("position", Integer.parseInt(id(1))));
                default -> throw usage("unknown action '" + action + "'. " + actions());
            };
        } catch (NumberFormatException e) {
            throw usage("a position is a whole number");
        }
        return answer(answer, err, body -> show(out, body));
    }

    private String id(int index) {
        if (args.size() <= index) {
            throw usage(action + " needs "
                    + (index == 0 ? "the " + noun + "'s id" : "one more argument") + ". " + actions());
        }
        return args.get(index);
    }

    /** The body from --file (JSON or YAML) and/or --set pairs. */
    private ObjectNode body(boolean whole) throws IOException {
        ObjectNode body = CanonicalJson.MAPPER.createObjectNode();
        if (file != null) {
            JsonNode read = YAML.readTree(Files.readString(file));
            if (!(read instanceof ObjectNode object)) {
                throw usage(file + " does not hold a mapping");
            }
            body = object;
        }
        if (set != null) {
            for (Map.Entry<String, String> e : set.entrySet()) {
                ObjectNode holder = body;
                String[] names = e.getKey().split("\\.");
                for (int i = 0; i < names.length - 1; i++) {
                    holder = holder.path(names[i]).isObject() ? (ObjectNode) holder.get(names[i]) : holder.putObject(names[i]);
                }
                holder.set(names[names.length - 1], value(e.getValue()));
            }
        }
        if (body.isEmpty()) {
            throw usage(action + " needs --file or --set");
        }
        if (whole && !action.equals("replace") && !body.has("id") && !args.isEmpty()) {
            body.put("id", args.get(0));
        }
        return body;
    }

    /** A JSON value when the text is one (numbers, true, lists), else the text. */
    private static JsonNode value(String text) {
        try {
            return CanonicalJson.MAPPER.readTree(text);
        } catch (IOException e) {
            return CanonicalJson.MAPPER.getNodeFactory().textNode(text);
        }
    }

    private void show(PrintWriter out, JsonNode body) throws IOException {
        if (body == null || "json".equals(output)) {
            print(out, body);
            return;
        }
        if (body.isArray()) {
            out.printf("%-26s %s%n", "ID", "NAME / SUMMARY");
            for (JsonNode item : body) {
                out.printf("%-26s %s%n", item.path("id").asText(), summary(item));
            }
            out.println(body.size() + " " + (body.size() == 1 ? noun : plural()));
            return;
        }
        JsonNode secrets = body.path("secrets");
        ObjectNode shown = body.deepCopy();
        shown.remove("secrets");
        out.print(YAML.writeValueAsString(shown).replaceFirst("^---\\n", ""));
        if (secrets.isObject()) {
            secrets.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("note")) {
                    out.println(e.getKey() + ": " + e.getValue().asText());
                }
            });
            out.println("(shown this once: keep it now, the hub will not show it again)");
        }
    }

    private String plural() {
        return noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
    }

    private static String summary(JsonNode item) {
        if (item.hasNonNull("name")) {
            String capacity = item.path("capacity").path("status").asText("");
            return item.get("name").asText() + (capacity.isEmpty() ? "" : "  [" + capacity + "]");
        }
        if (item.has("partner") || item.has("partners")) {
            List<String> conditions = new ArrayList<>();
            for (String c : List.of("agencies", "postalPrefixes", "occupationCodes", "sectors", "languages")) {
                if (item.path(c).size() > 0) {
                    conditions.add(c + "=" + item.get(c));
                }
            }
            String to = item.has("partner") ? item.get("partner").asText() : item.get("partners").toString();
            return (conditions.isEmpty() ? "every referral" : String.join(" ", conditions)) + " -> " + to
                    + (item.has("strategy") ? " (" + item.get("strategy").asText() + ")" : "");
        }
        return item.path("description").asText("");
    }
}
