package org.referralhub.intake;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules every canonical referral meets, whatever its channel: who the client is, how to reach them,
 * whether they consented, and dates that make sense. Returns every problem, not just the first.
 */
public final class ReferralValidator {

    private static final int MAX_TEXT = 200;
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public List<FieldError> validate(ReferralDraft draft, Instant now) {
        List<FieldError> errors = new ArrayList<>(draft.errors());
        List<String> failed = errors.stream().map(FieldError::field).toList();
        required(draft, CanonicalField.FIRST_NAME, failed, errors);
        required(draft, CanonicalField.LAST_NAME, failed, errors);
        if (!draft.has(CanonicalField.EMAIL) && !draft.has(CanonicalField.PHONE)
                && !failed.contains(CanonicalField.EMAIL.path()) && !failed.contains(CanonicalField.PHONE.path())) {
            errors.add(new FieldError(CanonicalField.EMAIL.path(), draft.source(CanonicalField.EMAIL), "contact-required",
                    "an e-mail address or a phone number is required, so the partner can reach the client"));
        }
        if (!draft.has(CanonicalField.CONSENT_GIVEN) && !failed.contains(CanonicalField.CONSENT_GIVEN.path())) {
            errors.add(new FieldError(CanonicalField.CONSENT_GIVEN.path(), draft.source(CanonicalField.CONSENT_GIVEN),
                    "required", "is required: say whether the client consented to the referral"));
        }
        for (CanonicalField field : CanonicalField.values()) {
            if (draft.value(field) instanceof String s && s.length() > MAX_TEXT) {
                errors.add(new FieldError(field.path(), draft.source(field), "too-long",
                        "is longer than " + MAX_TEXT + " characters"));
            }
            Object value = draft.value(field);
            List<?> texts = value instanceof List<?> list ? list : value instanceof String ? List.of(value) : List.of();
            if (texts.stream().anyMatch(t -> t instanceof String text && hidden(text))) {
                errors.add(new FieldError(field.path(), draft.source(field), "control-character",
                        "holds a control character (NUL, a tab, a line break…) or a direction override, which no "
                                + "partner's system should receive: send the text as it is written"));
            }
        }
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate birth = (LocalDate) draft.value(CanonicalField.BIRTH_DATE);
        LocalDate arrival = (LocalDate) draft.value(CanonicalField.ARRIVAL_DATE);
        if (birth != null && (birth.isAfter(today) || birth.isBefore(today.minusYears(120)))) {
            errors.add(error(draft, CanonicalField.BIRTH_DATE, "implausible-date", "is not a plausible birth date"));
        }
        if (arrival != null && arrival.isAfter(today.plusDays(1))) {
            errors.add(error(draft, CanonicalField.ARRIVAL_DATE, "future-date", "is in the future"));
        }
        if (arrival != null && birth != null && arrival.isBefore(birth)) {
            errors.add(error(draft, CanonicalField.ARRIVAL_DATE, "before-birth", "is before the birth date"));
        }
        Integer years = (Integer) draft.value(CanonicalField.YEARS_OF_EXPERIENCE);
        if (years != null && (years < 0 || years > 70)) {
            errors.add(error(draft, CanonicalField.YEARS_OF_EXPERIENCE, "out-of-range", "must be between 0 and 70"));
        }
        Instant captured = (Instant) draft.value(CanonicalField.CONSENT_CAPTURED_AT);
        Instant expires = (Instant) draft.value(CanonicalField.CONSENT_EXPIRES_AT);
        if (captured != null && captured.isAfter(now.plus(CLOCK_SKEW))) {
            errors.add(error(draft, CanonicalField.CONSENT_CAPTURED_AT, "future-date", "is in the future"));
        }
        if (captured != null && expires != null && !expires.isAfter(captured)) {
            errors.add(error(draft, CanonicalField.CONSENT_EXPIRES_AT, "before-capture",
                    "must be after the moment consent was captured"));
        }
        return errors;
    }

    /**
     * A control character (Unicode category Cc: NUL, tabs, line breaks, DEL, C1) or a bidirectional override or
     * isolate, which make text show as other than it is. Joiners (ZWJ, ZWNJ), which names in Persian and Indic
     * scripts need, are text.
     */
    static boolean hidden(String text) {
        return text.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
                || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069);
    }

    private static void required(ReferralDraft draft, CanonicalField field, List<String> failed, List<FieldError> errors) {
        if (!draft.has(field) && !failed.contains(field.path())) {
            errors.add(error(draft, field, "required", "is required"));
        }
    }

    private static FieldError error(ReferralDraft draft, CanonicalField field, String code, String message) {
        return new FieldError(field.path(), draft.source(field), code, message);
    }
}
