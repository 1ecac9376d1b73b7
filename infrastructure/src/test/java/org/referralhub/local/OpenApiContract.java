package org.referralhub.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.referralhub.api.OpenApiDocument;
import org.referralhub.referral.CanonicalJson;

/**
 * What the integration tests send to the hub and get back, held to the OpenAPI document: the path and method are in
 * it, the status is one it declares, the answer's media type is one it declares and its body is valid against the
 * schema it gives; a request the hub took (2xx) is valid against its request body's schema. A breach fails the test
 * that made the call, naming the operation and what did not match. The local sandbox receivers (the demo's stand-in
 * partners and agencies, {@code /sandbox/…}) are not the hub's API and are not held to it.
 */
final class OpenApiContract {

    private static final String BASE = "https://referral-hub.test/openapi.json";
    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
    private static final JsonNode TREE = DOCUMENT.tree();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.schemas(Map.of(BASE, DOCUMENT.json()))));
    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> TEMPLATES = new ConcurrentHashMap<>();

    private OpenApiContract() {
    }

    /** One exchange; throws {@link AssertionError} naming each way it breaks the document. */
    static void check(String method, String pathAndQuery, String requestContentType, String requestBody, int status,
                      String responseContentType, String responseBody) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        if (path.startsWith("/sandbox/")) {
            return;
        }
        String template = template(path);
        String what = method + " " + path + " → " + status;
        if (template == null) {
            require(status == 404 && isProblem(responseContentType), what + ": the path is not in the OpenAPI document");
            return;
        }
        JsonNode operation = TREE.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            require((status == 405 || status == 404) && isProblem(responseContentType),
                    what + ": " + method + " is not documented for " + template);
            return;
        }
        String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode response = operation.path("responses").path(Integer.toString(status));
        String responsePointer = pointer + "/responses/" + status;
        if (response.isMissingNode()) {
            response = operation.path("responses").path("default");
            responsePointer = pointer + "/responses/default";
        }
        require(!response.isMissingNode(), what + ": status " + status + " is not documented for "
                + method + " " + template);
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = TREE.at(responsePointer);
        }
        List<String> problems = new ArrayList<>();
        if (response.has("content") && responseBody != null && !responseBody.isEmpty()) {
            String media = media(responseContentType);
            require(response.path("content").has(media), what + ": answered " + media + ", documented "
                    + fieldNames(response.path("content")));
            problems.addAll(validate(responsePointer + "/content/" + escape(media) + "/schema", media, responseBody));
        }
        if (status / 100 == 2 && requestBody != null && !requestBody.isEmpty() && operation.has("requestBody")) {
            JsonNode body = operation.get("requestBody");
            String bodyPointer = pointer + "/requestBody";
            if (body.has("$ref")) {
                bodyPointer = body.get("$ref").asText().substring(1);
                body = TREE.at(bodyPointer);
            }
            String media = media(requestContentType);
            require(body.path("content").has(media), what + ": sent " + media + ", documented "
                    + fieldNames(body.path("content")));
            problems.addAll(validate(bodyPointer + "/content/" + escape(media) + "/schema", media, requestBody)
                    .stream().map(p -> "request: " + p).toList());
        }
        require(problems.isEmpty(), what + " breaks " + method + " " + template + ": " + problems);
    }

    /** The document's path template that matches: the one with fewest parameters when several do. */
    private static String template(String path) {
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (Iterator<String> it = TREE.path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            if (TEMPLATES.computeIfAbsent(template, t -> Pattern.compile(
                    Pattern.quote(t).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"))).matcher(path).matches()) {
                int parameters = template.split("\\{", -1).length - 1;
                if (parameters < fewest && enumsAllow(template, path)) {
                    best = template;
                    fewest = parameters;
                }
            }
        }
        return best;
    }

    /** Whether each path parameter the template's operations restrict to an enum takes a value it allows. */
    private static boolean enumsAllow(String template, String path) {
        String[] names = template.split("/");
        String[] values = path.split("/");
        JsonNode item = TREE.path("paths").path(template);
        for (int i = 0; i < names.length; i++) {
            if (!names[i].startsWith("{")) {
                continue;
            }
            String name = names[i].substring(1, names[i].length() - 1);
            for (JsonNode parameter : parameters(item)) {
                JsonNode allowed = parameter.path("schema").path("enum");
                if (name.equals(parameter.path("name").asText()) && allowed.isArray()) {
                    boolean in = false;
                    for (JsonNode value : allowed) {
                        in |= value.asText().equals(values[i]);
                    }
                    if (!in) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static List<JsonNode> parameters(JsonNode item) {
        List<JsonNode> out = new ArrayList<>();
        List<JsonNode> lists = new ArrayList<>(List.of(item.path("parameters")));
        item.fields().forEachRemaining(f -> lists.add(f.getValue().path("parameters")));
        for (JsonNode list : lists) {
            for (JsonNode parameter : list) {
                out.add(parameter.has("$ref") ? TREE.at(parameter.get("$ref").asText().substring(1)) : parameter);
            }
        }
        return out;
    }

    private static List<String> validate(String schemaPointer, String media, String body) {
        if (!media.endsWith("json") || TREE.at(schemaPointer).isMissingNode()) {
            return List.of();
        }
        JsonNode value;
        try {
            value = CanonicalJson.MAPPER.readTree(body);
        } catch (Exception e) {
            return List.of("the body is not JSON");
        }
        JsonSchema schema = COMPILED.computeIfAbsent(schemaPointer,
                p -> SCHEMAS.getSchema(SchemaLocation.of(BASE + "#" + p)));
        Set<ValidationMessage> messages = schema.validate(value);
        return messages.stream().map(ValidationMessage::getMessage).sorted().limit(10).toList();
    }

    private static boolean isProblem(String contentType) {
        return "application/problem+json".equals(media(contentType));
    }

    private static String media(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void require(boolean holds, String breach) {
        if (!holds) {
            throw new AssertionError("OpenAPI contract: " + breach);
        }
    }
}
