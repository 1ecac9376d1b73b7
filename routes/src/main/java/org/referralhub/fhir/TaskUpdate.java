package org.referralhub.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import org.referralhub.outcome.StatusUpdate;
import org.referralhub.referral.Referral;

/**
 * A partner moving a Task on the FHIR door — a {@code PUT} of the whole Task, or a {@code PATCH} (JSON Patch) of its
 * {@code status}, {@code statusReason}, {@code businessStatus} or {@code lastModified} — read into the same report
 * partners' other channels make ({@link StatusUpdate}), so the lifecycle's refusals (a move back, a closed referral)
 * are the same everywhere. What a partner may not change (the owner, the focus, the client, the requester) or what the
 * door does not take yet ({@code output}) is named and refused, never ignored.
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
        if (task.has("output") && !task.get("output").isEmpty()) {
            throw new FhirRefusal(422, "the hub does not take Task.output yet: report an outcome with status, statusReason "
                    + "and businessStatus");
        }
        Instant at = instant(task.get("lastModified"));
        // the Task as read, sent back with a new status: its lastModified is the old one, not when this happened
        return update(current, text(task.get("status")), concept(task.get("statusReason")),
                concept(task.get("businessStatus")), FhirResources.lastUpdated(current).equals(at) ? null : at);
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
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            String path = operation.path("path").asText();
            if (op.equals("test")) {
                continue;
            }
            if (!op.equals("replace") && !op.equals("add") || !MOVABLE.contains(path)) {
                throw new FhirRefusal(422, "a partner moves a Task by replacing " + MOVABLE + "; not " + op + " " + path);
            }
            JsonNode value = operation.get("value");
            switch (path) {
                case "/status" -> status = text(value);
                case "/statusReason", "/statusReason/text" -> reason = path.endsWith("/text") ? text(value) : concept(value);
                case "/businessStatus", "/businessStatus/text" -> business = path.endsWith("/text") ? text(value) : concept(value);
                default -> at = instant(value);
            }
        }
        return update(current, status, reason, business, at);
    }

    private static StatusUpdate update(Referral current, String status, String reason, String business, Instant at) {
        boolean statusMoves = status != null && !status.equals(current.status().code());
        boolean businessMoves = business != null && !business.equalsIgnoreCase(Objects.requireNonNullElse(
                current.businessStatus(), ""));
        if (!statusMoves && !businessMoves) {
            return null;
        }
        // a reason sent back as it was read is the earlier step's, not this one's
        String newReason = reason != null && reason.equals(current.statusReason()) ? null : reason;
        return new StatusUpdate(current.referralId(), statusMoves ? status : null, businessMoves ? business : null,
                newReason, at);
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
