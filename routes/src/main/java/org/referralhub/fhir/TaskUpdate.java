package org.referralhub.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.referralhub.outcome.StatusUpdate;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Output;
import org.referralhub.referral.Referral;

/**
 * A partner moving a Task on the FHIR door — a {@code PUT} of the whole Task, or a {@code PATCH} (JSON Patch) of its
 * {@code status}, {@code statusReason}, {@code businessStatus}, {@code lastModified} or {@code output} — read into the
 * same report partners' other channels make ({@link StatusUpdate}), so the lifecycle's refusals (a move back, a closed
 * referral) are the same everywhere. An output (a {@code type} and a {@code value[x]}: text, a code, a reference's
 * display, a date or a number) is added to the referral's and never taken back: a Task sent without one it had is
 * refused. What a partner may not change (the owner, the focus, the client, the requester) is named and refused,
 * never ignored.
 */
public final class TaskUpdate {

    /** The fields a partner moves, as JSON Patch paths. */
    private static final List<String> MOVABLE = List.of("/status", "/statusReason", "/statusReason/text",
            "/businessStatus", "/businessStatus/text", "/lastModified");

    private TaskUpdate() {
    }

    /** The report a PUT of {@code task} makes of {@code current}; null when it changes nothing. */
    public static StatusUpdate fromPut(JsonNode task, Referral current) {
        if (task == null || !task.isObject() || !"Task".equals(task.path("resourceType").asText())) {
            throw new FhirRefusal(400, "send a Task (resourceType Task) in FHIR JSON");
        }
        if (!current.referralId().equals(task.path("id").asText())) {
            throw new FhirRefusal(400, "the Task's id is " + task.path("id").asText("(none)") + ", not "
                    + current.referralId() + " as the address says");
        }
        unchanged(task, "/owner/reference", "Organization/" + current.partnerId());
        unchanged(task, "/requester/reference", "Organization/" + current.agencyId());
        unchanged(task, "/focus/reference", "ServiceRequest/" + current.referralId());
        unchanged(task, "/intent", "order");
        List<Output> outputs = outputs(task.get("output"));
        for (Output kept : current.outputs()) {
            if (outputs.stream().noneMatch(kept::sameAs)) {
                throw new FhirRefusal(422, "Task.output leaves out an output of type '" + kept.type() + "' reported "
                        + "earlier: outputs are kept, never taken back; send the Task with every output it had");
            }
        }
        Instant at = instant(task.get("lastModified"));
        // the Task as read, sent back with a new status: its lastModified is the old one, not when this happened
        return update(current, text(task.get("status")), concept(task.get("statusReason")),
                concept(task.get("businessStatus")), FhirResources.lastUpdated(current).equals(at) ? null : at, outputs);
    }

    /** The report a JSON Patch of the Task makes; null when it changes nothing. */
    public static StatusUpdate fromPatch(JsonNode operations, Referral current) {
        if (operations == null || !operations.isArray()) {
            throw new FhirRefusal(400, "send a JSON Patch: an array of operations (application/json-patch+json)");
        }
        String status = current.status().code();
        String reason = null;
        String business = current.businessStatus();
        Instant at = null;
        List<Output> outputs = new ArrayList<>(current.outputs());
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            String path = operation.path("path").asText();
            if (op.equals("test")) {
                continue;
            }
            JsonNode value = operation.get("value");
            if (op.equals("add") && path.equals("/output/-")) {
                outputs.addAll(outputs(CanonicalJson.MAPPER.createArrayNode().add(value == null ? NullNode.getInstance() : value)));
                continue;
            }
            if (!op.equals("replace") && !op.equals("add") || !MOVABLE.contains(path)) {
                throw new FhirRefusal(422, "a partner moves a Task by replacing " + MOVABLE + " or adding to /output/-; "
                        + "not " + op + " " + path);
            }
            switch (path) {
                case "/status" -> status = text(value);
                case "/statusReason", "/statusReason/text" -> reason = path.endsWith("/text") ? text(value) : concept(value);
                case "/businessStatus", "/businessStatus/text" -> business = path.endsWith("/text") ? text(value) : concept(value);
                default -> at = instant(value);
            }
        }
        return update(current, status, reason, business, at, outputs);
    }

    private static StatusUpdate update(Referral current, String status, String reason, String business, Instant at,
                                       List<Output> outputs) {
        boolean statusMoves = status != null && !status.equals(current.status().code());
        boolean businessMoves = business != null && !business.equalsIgnoreCase(Objects.requireNonNullElse(
                current.businessStatus(), ""));
        List<Output> added = new ArrayList<>();
        for (Output output : outputs) {
            if (current.outputs().stream().noneMatch(output::sameAs) && added.stream().noneMatch(output::sameAs)) {
                added.add(output);
            }
        }
        if (!statusMoves && !businessMoves && added.isEmpty()) {
            return null;
        }
        // a reason sent back as it was read is the earlier step's, not this one's
        String newReason = reason != null && reason.equals(current.statusReason()) ? null : reason;
        return new StatusUpdate(current.referralId(), statusMoves ? status : null, businessMoves ? business : null,
                newReason, at, added);
    }

    /** A Task's outputs as reported: each a type and one value, read as text; anything else refused by its place. */
    static List<Output> outputs(JsonNode list) {
        List<Output> outputs = new ArrayList<>();
        if (list == null || list.isNull()) {
            return outputs;
        }
        if (!list.isArray()) {
            throw new FhirRefusal(400, "Task.output is a list of outputs, each a type and a value");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode output = list.get(i);
            String where = "Task.output[" + i + "]";
            String type = output.isObject() ? concept(output.get("type")) : null;
            if (type == null || type.isBlank()) {
                throw new FhirRefusal(422, where + " has no type (a CodeableConcept with a text or a code)");
            }
            List<String> values = new ArrayList<>();
            output.fieldNames().forEachRemaining(name -> {
                if (name.startsWith("value")) {
                    values.add(name);
                }
            });
            if (values.size() != 1) {
                throw new FhirRefusal(422, where + " has " + values.size() + " values: an output has one value[x]");
            }
            String name = values.get(0);
            JsonNode value = output.get(name);
            String text = switch (name) {
                case "valueCodeableConcept" -> concept(value);
                case "valueReference" -> value.hasNonNull("display") ? value.get("display").asText() : text(value.get("reference"));
                case "valueString", "valueMarkdown", "valueCode", "valueId", "valueUri", "valueUrl", "valueCanonical",
                     "valueDate", "valueDateTime", "valueInstant", "valueTime", "valueInteger", "valuePositiveInt",
                     "valueUnsignedInt", "valueDecimal", "valueBoolean" -> text(value);
                default -> throw new FhirRefusal(422, where + "." + name + " is not a kind of value the hub keeps: send "
                        + "text (valueString), a code (valueCodeableConcept), a reference (valueReference), a date or a number");
            };
            if (text == null || text.isBlank()) {
                throw new FhirRefusal(422, where + "." + name + " is empty");
            }
            outputs.add(Output.reported(type, text));
        }
        return outputs;
    }

    private static void unchanged(JsonNode task, String pointer, String expected) {
        JsonNode value = task.at(pointer);
        if (!value.isMissingNode() && !value.isNull() && !expected.equals(value.asText())) {
            throw new FhirRefusal(422, "a partner cannot change " + pointer.substring(1).replace('/', '.') + " (it is "
                    + expected + ")");
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    /** A CodeableConcept's text, or its first coding's display or code. */
    private static String concept(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.hasNonNull("text")) {
            return node.get("text").asText();
        }
        JsonNode coding = node.path("coding").path(0);
        return coding.hasNonNull("code") ? coding.get("code").asText()
                : coding.hasNonNull("display") ? coding.get("display").asText() : null;
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new FhirRefusal(400, "lastModified is an instant (2026-11-23T14:00:00Z), not " + node.asText());
        }
    }
}
