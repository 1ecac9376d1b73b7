package org.referralhub.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.referralhub.referral.Output;

/**
 * What a partner reports about a referral it received: a lifecycle {@code status} (accepted, rejected, in-progress,
 * on-hold, completed, cancelled), the program's own {@code businessStatus} (contacted, info-session, registered,
 * accepted, matched, declined…), either or both, why, and when it happened.
 *
 * @param at      when it happened (null: when the hub hears of it)
 * @param outputs what the work produced ({@link Output#reported}), to add to the referral's; none for most reports
 */
public record StatusUpdate(String referralId, String status, String businessStatus, String reason, Instant at,
                           List<Output> outputs) {

    public StatusUpdate {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /**
     * A report's {@code outputs} as a partner's JSON has them: a list of {@code {"type": …, "value": …}}, each as text.
     *
     * @throws IllegalArgumentException for any other shape, saying the one expected
     */
    public static List<Output> outputs(JsonNode list) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        List<Output> outputs = new ArrayList<>();
        for (JsonNode output : list.isArray() ? list : List.<JsonNode>of()) {
            if (output.path("type").isTextual() && output.path("value").isTextual()) {
                outputs.add(Output.reported(output.get("type").asText(), output.get("value").asText()));
            }
        }
        if (!list.isArray() || outputs.size() != list.size()) {
            throw new IllegalArgumentException("outputs is a list of {\"type\": \"mentor match\", \"value\": \"…\"}: each "
                    + "a type and a value, as text.");
        }
        return outputs;
    }

    /** A report of a status or business status, with no output. */
    public StatusUpdate(String referralId, String status, String businessStatus, String reason, Instant at) {
        this(referralId, status, businessStatus, reason, at, List.of());
    }

    /**
     * When a report says it happened: an ISO-8601 instant, or a date: the start of that day (UTC), so a
     * partner anywhere in Canada reporting today's date early in its morning is not told it is in the future; null for
     * none.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Instant date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(text.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                throw new IllegalArgumentException("a date is ISO-8601: 2026-11-23 or 2026-11-23T14:00:00Z");
            }
        }
    }
}
