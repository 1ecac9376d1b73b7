package org.referralhub.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration as administrators may see it — secrets out — and the difference between two versions, as the
 * audit trail records it. API keys show as key ids (the first 12 hex digits of the key's digest: enough to tell
 * keys apart and revoke one, nothing to log in with); signing secrets and SFTP password digests as
 * {@value #SECRET}; administrators' token digests not at all.
 */
public final class ConfigurationView {

    /** What a secret shows as; sent back unchanged, it means "keep the secret as it is". */
    public static final String SECRET = "********";

    private ConfigurationView() {
    }

    /** The id administrators see for an API key, from its digest. */
    public static String keyId(String keyHash) {
        return keyHash.substring(0, Math.min(12, keyHash.length()));
    }

    /** A copy of a configuration tree without its secrets. */
    public static ObjectNode redact(ObjectNode configuration) {
        ObjectNode view = configuration.deepCopy();
        view.remove("admins");
        for (JsonNode agency : view.path("agencies")) {
            if (agency instanceof ObjectNode a) {
                redactAgency(a);
            }
        }
        for (JsonNode partner : view.path("partners")) {
            if (partner instanceof ObjectNode p) {
                redactPartner(p);
            }
        }
        return view;
    }

    public static ObjectNode redactAgency(ObjectNode agency) {
        JsonNode hashes = agency.remove("apiKeyHashes");
        ArrayNode ids = agency.putArray("apiKeys");
        if (hashes != null) {
            hashes.forEach(h -> ids.add(keyId(h.asText())));
        }
        return mask(agency, "agencies");
    }

    public static ObjectNode redactPartner(ObjectNode partner) {
        JsonNode hashes = partner.remove("apiKeyHashes");
        ArrayNode ids = partner.putArray("apiKeys");
        if (hashes != null) {
            hashes.forEach(h -> ids.add(keyId(h.asText())));
        }
        return mask(partner, "partners");
    }

    /** Every secret of one agency or partner shown as {@value #SECRET}. */
    private static ObjectNode mask(ObjectNode item, String collection) {
        for (SecretPlace place : SecretPlace.values()) {
            if (place.collection().equals(collection) && place.valueIn(item).isPresent()) {
                place.holderIn(item).orElseThrow().put(place.field(), SECRET);
            }
        }
        return item;
    }

    /**
     * What changed from one redacted view to the next: {@code add}, {@code remove} and {@code replace} of values by
     * path (entries of lists of things with an id are named by id: {@code /partners/humber/capacity/status}), and
     * {@code reorder} when only their order changed. A changed secret shows as changed, without either value.
     */
    public static List<Map<String, Object>> diff(JsonNode before, JsonNode after) {
        List<Map<String, Object>> changes = new ArrayList<>();
        diff("", before, after, changes);
        return changes;
    }

    private static void diff(String path, JsonNode before, JsonNode after, List<Map<String, Object>> changes) {
        if (Objects.equals(before, after)) {
            return;
        }
        if (before == null || before.isMissingNode() || before.isNull()) {
            changes.add(change("add", path, null, after));
        } else if (after == null || after.isMissingNode() || after.isNull()) {
            changes.add(change("remove", path, before, null));
        } else if (before.isObject() && after.isObject()) {
            List<String> names = new ArrayList<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(n -> {
                if (!names.contains(n)) {
                    names.add(n);
                }
            });
            for (String name : names) {
                diff(path + "/" + name, before.get(name), after.get(name), changes);
            }
        } else if (keyed(before) && keyed(after)) {
            Map<String, JsonNode> was = byId(before);
            Map<String, JsonNode> is = byId(after);
            for (String id : was.keySet()) {
                diff(path + "/" + id, was.get(id), is.get(id), changes);
            }
            for (String id : is.keySet()) {
                if (!was.containsKey(id)) {
                    changes.add(change("add", path + "/" + id, null, is.get(id)));
                }
            }
            List<String> order = new ArrayList<>(was.keySet());
            order.retainAll(is.keySet());
            List<String> newOrder = new ArrayList<>(is.keySet());
            newOrder.retainAll(was.keySet());
            if (!order.equals(newOrder)) {
                changes.add(change("reorder", path, arrayOf(order), arrayOf(newOrder)));
            }
        } else if (SECRET.equals(before.asText(null)) && SECRET.equals(after.asText(null))) {
            changes.add(change("replace", path, null, null));
        } else {
            changes.add(change("replace", path, before, after));
        }
    }

    /** Secrets that changed between two raw configurations, as changes without values. */
    public static List<Map<String, Object>> secretChanges(JsonNode before, JsonNode after) {
        List<Map<String, Object>> changes = new ArrayList<>();
        Map<String, JsonNode> was = secrets(before);
        Map<String, JsonNode> is = secrets(after);
        for (String path : is.keySet()) {
            if (was.containsKey(path) && !Objects.equals(was.get(path), is.get(path))) {
                Map<String, Object> change = change("replace", path, null, null);
                change.put("secret", true);
                changes.add(change);
            }
        }
        return changes;
    }

    private static Map<String, JsonNode> secrets(JsonNode configuration) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String collection : List.of("agencies", "partners")) {
            for (JsonNode item : configuration.path(collection)) {
                for (SecretPlace place : SecretPlace.values()) {
                    if (place.collection().equals(collection)) {
                        place.valueIn(item).ifPresent(v -> out.put(place.pointer(item.path("id").asText()), v));
                    }
                }
            }
        }
        if (configuration.has("admins")) {
            out.put("/admins", configuration.get("admins"));
        }
        return out;
    }

    private static Map<String, Object> change(String op, String path, JsonNode from, JsonNode to) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("op", op);
        change.put("path", path);
        if (from != null) {
            change.put("from", from);
        }
        if (to != null) {
            change.put("to", to);
        }
        return change;
    }

    private static JsonNode arrayOf(List<String> ids) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        ids.forEach(array::add);
        return array;
    }

    /** A non-empty list whose every entry is an object with a distinct id. */
    private static boolean keyed(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return false;
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode entry : node) {
            if (!entry.isObject() || !entry.path("id").isTextual() || !ids.add(entry.get("id").asText())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, JsonNode> byId(JsonNode array) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode entry = it.next();
            out.put(entry.get("id").asText(), entry);
        }
        return out;
    }
}
