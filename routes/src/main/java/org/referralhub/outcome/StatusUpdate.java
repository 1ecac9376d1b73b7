package org.referralhub.outcome;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * What a partner reports about a referral it received: a lifecycle {@code status} (accepted, rejected, in-progress,
 * on-hold, completed, cancelled), the program's own {@code businessStatus} (contacted, info-session, registered,
 * accepted, matched, declined…), either or both, why, and when it happened.
 *
 * @param at when it happened (null: when the hub hears of it)
 */
public record StatusUpdate(String referralId, String status, String businessStatus, String reason, Instant at) {

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
