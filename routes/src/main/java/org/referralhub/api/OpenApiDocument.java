package org.referralhub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The hub's OpenAPI 3.1 document, whole: {@code openapi/openapi.yaml} (every HTTP endpoint, the problem answers, the
 * webhooks the hub sends) with the canonical referral's JSON Schema ({@code schema/referral-v1.schema.json}) put in
 * as {@code components.schemas.Referral} when it is read — one source, not a copy. The schema's {@code $defs} become
 * components of their own ({@code ulid} → {@code ReferralUlid}) and its references follow, so the document holds no
 * reference outside itself and a connector builder imports it as it is.
 */
public final class OpenApiDocument {

    private static final String DOCUMENT = "openapi/openapi.yaml";
    private static final String REFERRAL_SCHEMA = "schema/referral-v1.schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final JsonNode document;
    private final String json;
    private final String yaml;

    private OpenApiDocument(JsonNode document) {
        this.document = document;
        try {
            this.json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
            this.yaml = YAML.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document as the hub serves it. */
    public static OpenApiDocument load() {
        ObjectNode document = (ObjectNode) read(DOCUMENT, YAML);
        ObjectNode schemas = (ObjectNode) document.with("components").with("schemas");
        ObjectNode referral = (ObjectNode) read(REFERRAL_SCHEMA, JSON);
        referral.remove("$schema");
        referral.remove("$id");
        JsonNode defs = referral.remove("$defs");
        if (defs != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = defs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> def = it.next();
                schemas.set(componentName(def.getKey()), rewriteRefs(def.getValue()));
            }
        }
        schemas.set("Referral", rewriteRefs(referral));
        return new OpenApiDocument(document);
    }

    public JsonNode tree() {
        return document.deepCopy();
    }

    public String json() {
        return json;
    }

    public String yaml() {
        return yaml;
    }

    /** {@code ulid} → {@code ReferralUlid}. */
    static String componentName(String def) {
        return "Referral" + def.substring(0, 1).toUpperCase(Locale.ROOT) + def.substring(1);
    }

    /** Every {@code #/$defs/x} reference in a schema, pointed at its component. */
    private static JsonNode rewriteRefs(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/$defs/")) {
                object.put("$ref", "#/components/schemas/" + componentName(ref.asText().substring("#/$defs/".length())));
            }
            object.fields().forEachRemaining(field -> rewriteRefs(field.getValue()));
        } else if (node.isArray()) {
            node.forEach(OpenApiDocument::rewriteRefs);
        }
        return node;
    }

    private static JsonNode read(String resource, ObjectMapper mapper) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + resource);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
