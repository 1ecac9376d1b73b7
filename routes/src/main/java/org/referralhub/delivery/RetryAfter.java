package org.referralhub.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** A partner's {@code Retry-After} (RFC 9110: seconds, or an HTTP date) as a wait from now; null when it gave none. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** The header among response headers, whatever its case. */
    public static Duration of(Map<String, String> headers, Instant now) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if ("retry-after".equalsIgnoreCase(header.getKey())) {
                return parse(header.getValue(), now);
            }
        }
        return null;
    }

    /** {@code 120}, or {@code Wed, 21 Oct 2026 07:28:00 GMT}; null for anything else, or a time already past. */
    public static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        try {
            Duration until = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? null : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
