package org.referralhub.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralhub.intake.FieldPath;
import org.referralhub.referral.CanonicalJson;

/**
 * An agency's FHIR R4 transaction Bundle as one referral: a ServiceRequest and its Task (SDOHCC's referral pair), the
 * client's Patient and Consent, and Observations for what FHIR has no element for. Its resources are entries (each a
 * {@code POST}), or contained in the ServiceRequest or Task. Read into one object keyed by resource type —
 * {@code Patient}, {@code Consent}, {@code ServiceRequest}, {@code Task}, {@code Observation} (a list) — which the
 * agency's FHIR mapping reads like any other payload. What makes it not one referral (a second Task, a Condition, a
 * Task whose focus is not the Bundle's ServiceRequest) is a problem, named by its place in the Bundle.
 */
public final class ReferralBundle {

    /** The resource types a referral Bundle carries; all but Observation once at most. */
    static final List<String> TYPES = List.of("Patient", "Consent", "ServiceRequest", "Task", "Observation");
    private static final String OBSERVATION = "Observation";
    /**
     * Elements the hub reads itself rather than through the mapping: what a resource is, the references that bind the
     * Bundle together (checked here), who refers and when (the caller and the receipt), the Task's own lifecycle.
     */
    private static final Set<String> STRUCTURAL = Set.of("resourceType", "id", "meta", "text", "contained",
            "implicitRules", "language", "status", "intent", "code", "focus", "for", "subject", "patient", "scope",
            "category", "requester", "authoredOn");

    /** One entry: where it stands, what it is, and how the transaction asked for it. */
    public record Entry(int index, String resourceType, String fullUrl) {
    }

    private final ObjectNode resources;
    private final List<Entry> entries;
    private final List<String> problems;

    private ReferralBundle(ObjectNode resources, List<Entry> entries, List<String> problems) {
        this.resources = resources;
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads a Bundle.
     *
     * @throws FhirRefusal (400) when the body is not a transaction Bundle at all
     */
    public static ReferralBundle read(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("resourceType").isTextual()) {
            throw new FhirRefusal(400, "The body is not a FHIR resource: POST a transaction Bundle to the FHIR base.");
        }
        String type = body.path("resourceType").asText();
        if (!type.equals("Bundle")) {
            throw new FhirRefusal(400, "The body is a " + plain(type) + ", not a Bundle: a referral is POSTed to the FHIR base"
                    + " as a transaction Bundle of ServiceRequest and Task (with Patient, Consent, Observations).");
        }
        if (!"transaction".equals(body.path("type").asText())) {
            throw new FhirRefusal(400, "Bundle.type is '" + plain(body.path("type").asText()) + "': a referral is one "
                    + "transaction Bundle.");
        }
        List<String> problems = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Map<String, List<ObjectNode>> byType = new LinkedHashMap<>();
        Map<String, ObjectNode> byUrl = new LinkedHashMap<>();
        JsonNode list = body.path("entry");
        if (!list.isArray() || list.isEmpty()) {
            throw new FhirRefusal(400, "The Bundle has no entry: send the ServiceRequest and Task (with Patient, Consent, "
                    + "Observations) as its entries.");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            JsonNode resource = entry.path("resource");
            String where = "entry[" + i + "]";
            if (!resource.isObject() || !resource.path("resourceType").isTextual()) {
                problems.add(where + " has no resource.");
                entries.add(new Entry(i, null, null));
                continue;
            }
            String resourceType = resource.path("resourceType").asText();
            String fullUrl = entry.path("fullUrl").isTextual() ? entry.path("fullUrl").asText() : null;
            entries.add(new Entry(i, resourceType, fullUrl));
            String method = entry.path("request").path("method").asText("");
            if (!method.equals("POST")) {
                problems.add(where + " (" + plain(resourceType) + ") asks for " + (method.isEmpty() ? "no method"
                        : "'" + plain(method) + "'") + ": each entry of a referral is created, with request.method POST.");
            }
            if (!TYPES.contains(resourceType)) {
                problems.add(where + " is a " + plain(resourceType) + ", which a referral Bundle does not carry: its "
                        + "entries are " + String.join(", ", TYPES) + ".");
                continue;
            }
            byType.computeIfAbsent(resourceType, t -> new ArrayList<>()).add((ObjectNode) resource);
            if (fullUrl != null) {
                byUrl.put(fullUrl, (ObjectNode) resource);
            }
        }
        ObjectNode resources = CanonicalJson.MAPPER.createObjectNode();
        ObjectNode serviceRequest = single(byType, "ServiceRequest", true, problems);
        ObjectNode task = single(byType, "Task", true, problems);
        // what is not an entry may be contained in the ServiceRequest or the Task
        for (ObjectNode holder : new ObjectNode[]{serviceRequest, task}) {
            if (holder != null) {
                for (JsonNode contained : holder.path("contained")) {
                    String t = contained.path("resourceType").asText();
                    if (contained.isObject() && List.of("Patient", "Consent", OBSERVATION).contains(t)) {
                        byType.computeIfAbsent(t, k -> new ArrayList<>()).add((ObjectNode) contained);
                    }
                }
            }
        }
        ObjectNode patient = single(byType, "Patient", false, problems);
        ObjectNode consent = single(byType, "Consent", false, problems);
        if (task != null && serviceRequest != null && !refersTo(task.path("focus"), serviceRequest, byUrl, task)) {
            problems.add("Task.focus does not name the Bundle's ServiceRequest: the Task is the referral's, and its focus "
                    + "is the ServiceRequest (its fullUrl).");
        }
        if (patient != null) {
            if (serviceRequest != null && !refersTo(serviceRequest.path("subject"), patient, byUrl, serviceRequest)) {
                problems.add("ServiceRequest.subject does not name the Bundle's Patient.");
            }
            if (task != null && task.has("for") && !refersTo(task.path("for"), patient, byUrl, task)) {
                problems.add("Task.for does not name the Bundle's Patient.");
            }
        }
        if (task != null && task.has("status") && !List.of("requested", "ready").contains(task.path("status").asText())) {
            problems.add("Task.status is '" + plain(task.path("status").asText()) + "': a new referral's Task is "
                    + "requested; its partner moves it from there.");
        }
        put(resources, "Patient", patient);
        put(resources, "Consent", consent);
        put(resources, "ServiceRequest", serviceRequest);
        put(resources, "Task", task);
        ArrayNode observations = resources.putArray(OBSERVATION);
        byType.getOrDefault(OBSERVATION, List.of()).forEach(observations::add);
        if (observations.isEmpty()) {
            resources.remove(OBSERVATION);
        }
        return new ReferralBundle(resources, entries, problems);
    }

    /** The Bundle as the mapping reads it: one object keyed by resource type. */
    public ObjectNode resources() {
        return resources;
    }

    /** The Bundle's entries, in order (a transaction's answer has one per entry). */
    public List<Entry> entries() {
        return entries;
    }

    /** What makes the Bundle not one referral; empty when it is one. */
    public List<String> problems() {
        return problems;
    }

    /**
     * What the Bundle carried that a mapping whose source paths are {@code sources} reads nothing from, below the
     * resource types: an element ({@code Task.owner}, {@code Patient.gender}), an item of a list the mapping reads
     * by selector or index ({@code Patient.telecom[2] (fax)}, an extension by its url), or an Observation (by its code).
     * A resource type read not at all is the mapper's to say; the hub's own elements ({@link #STRUCTURAL}) are read here.
     */
    public List<String> notRead(List<String> sources) {
        List<String> out = new ArrayList<>();
        for (String type : List.of("Patient", "Consent", "ServiceRequest", "Task")) {
            JsonNode resource = resources.path(type);
            if (!resource.isObject() || sources.stream().noneMatch(s -> startsWith(s, type))) {
                continue;
            }
            resource.fields().forEachRemaining(element -> {
                String path = type + "." + element.getKey();
                if (STRUCTURAL.contains(element.getKey())) {
                    return;
                }
                if (sources.stream().noneMatch(s -> startsWith(s, path))) {
                    out.add(path);
                } else if (element.getValue().isArray()) {
                    unreadItems(path, element.getValue(), sources).forEach(i ->
                            out.add(path + "[" + i + "]" + describe(element.getValue().get(i))));
                }
            });
        }
        JsonNode observations = resources.path(OBSERVATION);
        if (observations.isArray() && sources.stream().anyMatch(s -> startsWith(s, OBSERVATION))) {
            unreadItems(OBSERVATION, observations, sources).forEach(i -> out.add("Observation " + code(observations.get(i))));
        }
        return out;
    }

    /**
     * The places of a list's items that no source reads: a source that reads the list itself, or below it without a
     * selector, reads every item; one with an index or a {@code [name=value]} selector, the item it picks.
     */
    private List<Integer> unreadItems(String path, JsonNode items, List<String> sources) {
        Map<JsonNode, Boolean> read = new IdentityHashMap<>();
        for (String source : sources) {
            if (source.equals(path) || source.startsWith(path + ".")) {
                return List.of();
            }
            if (source.startsWith(path + "[")) {
                JsonNode selected = selector(source, path.length()).resolve(resources);
                if (!selected.isMissingNode()) {
                    read.put(selected, true);
                }
            }
        }
        List<Integer> unread = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!read.containsKey(items.get(i))) {
                unread.add(i);
            }
        }
        return unread;
    }

    /** What a list item is, as the sender named it: an extension's url, a telecom's or identifier's system. */
    private static String describe(JsonNode item) {
        for (String name : List.of("url", "system")) {
            String text = item.path(name).asText("");
            if (text.matches("[A-Za-z0-9:/._#-]{1,200}")) {
                return " (" + text + ")";
            }
        }
        return "";
    }

    /** The source up to the selector or index that follows {@code from}: {@code Patient.telecom[system=email]}. */
    private static FieldPath selector(String source, int from) {
        int depth = 0;
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return FieldPath.parse(source.substring(0, i + 1));
            }
        }
        return FieldPath.parse(source);
    }

    /** An Observation's code as the sender wrote it (a code is not personal data), or its place. */
    private static String code(JsonNode observation) {
        JsonNode coding = observation.path("code").path("coding").path(0);
        if (coding.path("code").isTextual()) {
            return plain(coding.path("code").asText());
        }
        return observation.path("code").path("text").isTextual() ? "'" + plain(observation.path("code").path("text").asText()) + "'"
                : "without a code";
    }

    private static boolean startsWith(String source, String prefix) {
        return source.equals(prefix) || source.startsWith(prefix + ".") || source.startsWith(prefix + "[");
    }

    private static ObjectNode single(Map<String, List<ObjectNode>> byType, String type, boolean required,
                                     List<String> problems) {
        List<ObjectNode> found = byType.getOrDefault(type, List.of());
        if (found.isEmpty() && required) {
            problems.add("The Bundle has no " + type + ": a referral is a ServiceRequest and the Task that carries it.");
        }
        if (found.size() > 1) {
            problems.add("The Bundle has " + found.size() + " " + type + " resources: one referral has one.");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Whether {@code reference} names {@code target}: its fullUrl in the Bundle, {@code Type/id}, or {@code #id} of a
     * resource contained in {@code holder}.
     */
    private static boolean refersTo(JsonNode reference, ObjectNode target, Map<String, ObjectNode> byUrl, ObjectNode holder) {
        String ref = reference.path("reference").asText("");
        if (ref.isEmpty()) {
            return false;
        }
        if (byUrl.get(ref) == target) {
            return true;
        }
        String id = target.path("id").asText("");
        if (id.isEmpty()) {
            return false;
        }
        if (ref.equals("#" + id)) {
            for (JsonNode contained : holder.path("contained")) {
                if (contained == target) {
                    return true;
                }
            }
            return false;
        }
        return ref.equals(target.path("resourceType").asText() + "/" + id);
    }

    private static void put(ObjectNode resources, String type, ObjectNode resource) {
        if (resource != null) {
            resources.set(type, resource);
        }
    }

    /** A name from the input, said back only when it is one (letters, digits, - and _, not too long). */
    private static String plain(String text) {
        return text != null && text.matches("[A-Za-z0-9_.:-]{1,64}") ? text : "(unnamed)";
    }
}
