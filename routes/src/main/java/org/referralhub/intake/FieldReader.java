package org.referralhub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.referralhub.config.DateOrder;

/**
 * Turns one raw value from an agency into the normalized value of a canonical field, or explains, without
 * repeating the value, why it cannot.
 */
final class FieldReader {

    /** A date of numbers: day and month in either order (one or two digits), then a four-digit year. */
    private static final Pattern NUMERIC_DATE = Pattern.compile("(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4})");

    static final String DEFAULT_PHONE_REGION = "CA";

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}$");
    private static final Pattern POSTAL = Pattern.compile("^[ABCEGHJ-NPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z]\\d[ABCEGHJ-NPRSTV-Z]\\d$");
    private static final Pattern NOC = Pattern.compile("^\\d{5}$");
    private static final Pattern FIRST_INTEGER = Pattern.compile("(\\d{1,3})");

    private FieldReader() {
    }

    /** Thrown with a message fit for the agency (no value echoed). */
    static final class Unreadable extends Exception {
        final String code;

        Unreadable(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    static Object read(CanonicalField field, JsonNode raw, String dateFormat, String split,
                       Map<String, Object> valueMap) throws Unreadable {
        return read(field, raw, dateFormat, split, valueMap, DateOrder.NONE);
    }

    /** @param order how the agency writes dates its mapping declares no format for */
    static Object read(CanonicalField field, JsonNode raw, String dateFormat, String split,
                       Map<String, Object> valueMap, DateOrder order) throws Unreadable {
        if (field.kind().isList()) {
            List<String> items = new ArrayList<>();
            for (String text : texts(raw, split)) {
                Object mapped = mapValue(text, valueMap);
                String item = String.valueOf(mapped).trim();
                if (item.isEmpty()) {
                    continue;
                }
                if (field.kind() == CanonicalField.Kind.LANGUAGE_LIST) {
                    item = Languages.code(item).orElseThrow(() -> new Unreadable("unknown-language",
                            "is not a language we recognise (use a name like 'Punjabi' or an ISO 639 code)"));
                }
                if (!items.contains(item)) {
                    items.add(item);
                }
            }
            return items;
        }
        Object value = raw.isValueNode() ? mapValue(raw.isTextual() ? raw.asText() : raw, valueMap) : raw;
        if (value instanceof JsonNode node && !node.isValueNode()) {
            throw new Unreadable("not-a-value", "must be a single value, not an object or a list");
        }
        String text = value instanceof JsonNode node ? node.asText() : String.valueOf(value);
        text = text.trim();
        if (field == CanonicalField.CONSENT_GIVEN) {
            return consent(value, text, valueMap);
        }
        return switch (field.kind()) {
            case TEXT -> text.replaceAll("\\s+", " ");
            case NAME -> name(text);
            case EMAIL -> email(text);
            case PHONE -> phone(text);
            case DATE -> date(text, dateFormat, order);
            case INSTANT -> instant(text, dateFormat, order);
            case LANGUAGE -> Languages.code(text).orElseThrow(() -> new Unreadable("unknown-language",
                    "is not a language we recognise (use a name like 'Punjabi' or an ISO 639 code)"));
            case COUNTRY -> Countries.code(text).orElseThrow(() -> new Unreadable("unknown-country",
                    "is not a country we recognise (use a name like 'India' or an ISO 3166 code)"));
            case POSTAL_CODE -> postalCode(text);
            case OCCUPATION_CODE -> occupationCode(text);
            case INTEGER -> integer(value, text);
            case CLB -> clb(text);
            case BOOLEAN -> bool(value, text);
            case LANGUAGE_LIST, TEXT_LIST -> throw new IllegalStateException("lists are read above");
        };
    }

    static boolean isBlank(JsonNode raw) {
        return raw == null || raw.isMissingNode() || raw.isNull()
                || raw.isTextual() && raw.asText().isBlank()
                || raw.isArray() && raw.isEmpty();
    }

    private static List<String> texts(JsonNode raw, String split) {
        List<String> out = new ArrayList<>();
        if (raw.isArray()) {
            raw.forEach(n -> out.add(n.asText()));
        } else {
            String separator = split == null ? "[,;/]" : Pattern.quote(split);
            for (String part : raw.asText().split(separator)) {
                out.add(part);
            }
        }
        return out;
    }

    private static Object mapValue(Object raw, Map<String, Object> valueMap) {
        if (valueMap.isEmpty()) {
            return raw;
        }
        String text = raw instanceof JsonNode node ? node.asText() : String.valueOf(raw);
        for (Map.Entry<String, Object> e : valueMap.entrySet()) {
            if (e.getKey().equalsIgnoreCase(text.trim())) {
                return e.getValue();
            }
        }
        return raw;
    }

    private static String name(String text) {
        return text.replaceAll("\\s+", " ");
    }

    private static String email(String text) throws Unreadable {
        String email = text.toLowerCase(Locale.ROOT);
        if (email.startsWith("mailto:")) {
            email = email.substring(7);
        }
        if (!EMAIL.matcher(email).matches() || email.length() > 254) {
            throw new Unreadable("invalid-email", "is not a valid e-mail address");
        }
        return email;
    }

    private static String phone(String text) throws Unreadable {
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(text, DEFAULT_PHONE_REGION);
            if (!PHONES.isValidNumber(number)) {
                throw new Unreadable("invalid-phone", "is not a valid phone number");
            }
            return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new Unreadable("invalid-phone", "is not a phone number");
        }
    }

    private static LocalDate date(String text, String format, DateOrder order) throws Unreadable {
        if (format != null) {
            try {
                return LocalDate.parse(text, strict(format));
            } catch (DateTimeParseException e) {
                throw new Unreadable("invalid-date", "is not a date in the format " + format
                        + " (a day the month does not have is refused, never moved)");
            }
        }
        Matcher numeric = NUMERIC_DATE.matcher(text.strip());
        if (numeric.matches()) {
            return numericDate(Integer.parseInt(numeric.group(1)), Integer.parseInt(numeric.group(2)),
                    Integer.parseInt(numeric.group(3)), order);
        }
        try {
            return LocalDate.parse(text.length() > 10 && text.charAt(10) == 'T' ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            throw new Unreadable("invalid-date", "is not an ISO-8601 date (yyyy-MM-dd)");
        }
    }

    /**
     * A date written 03/04/2024 (or with dots or dashes), read in the agency's order; where the agency said none, it is
     * refused with the reason — which order was meant is never guessed.
     */
    private static LocalDate numericDate(int first, int second, int year, DateOrder order) throws Unreadable {
        LocalDate date = switch (order) {
            case DAY_FIRST -> dateOrNull(year, second, first);
            case MONTH_FIRST -> dateOrNull(year, first, second);
            case NONE -> throw new Unreadable("ambiguous-date", "is written day and month in an order not said: write "
                    + "it as yyyy-MM-dd, or have the agency's locale or the mapping's dateFormat say which comes first");
        };
        if (date == null) {
            throw new Unreadable("invalid-date", "is not a date (a day the month does not have is refused, never moved)");
        }
        return date;
    }

    private static LocalDate dateOrNull(int year, int month, int day) {
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * An agency's date format, read strictly: a day the month does not have (31/04, 29/02 of a common year) is refused
     * rather than moved to the month's last day. Year letters are read as the proleptic year ({@code u}), which strict
     * reading needs where {@code y} would want an era.
     */
    static DateTimeFormatter strict(String format) {
        StringBuilder pattern = new StringBuilder(format.length());
        boolean quoted = false;
        for (char c : format.toCharArray()) {
            quoted ^= c == '\'';
            pattern.append(!quoted && c == 'y' ? 'u' : c);
        }
        return DateTimeFormatter.ofPattern(pattern.toString(), Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    }

    private static Instant instant(String text, String format, DateOrder order) throws Unreadable {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // try the other forms below
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // a plain date is midnight UTC
        }
        return date(text, format, order).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static String postalCode(String text) throws Unreadable {
        String compact = text.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (!POSTAL.matcher(compact).matches()) {
            throw new Unreadable("invalid-postal-code", "is not a Canadian postal code (A1A 1A1)");
        }
        return compact.substring(0, 3) + " " + compact.substring(3);
    }

    private static String occupationCode(String text) throws Unreadable {
        String code = text.replaceAll("\\s", "");
        if (!NOC.matcher(code).matches()) {
            throw new Unreadable("invalid-occupation-code", "is not a five-digit NOC 2021 code");
        }
        return code;
    }

    private static Integer integer(Object value, String text) throws Unreadable {
        if (value instanceof JsonNode node && node.isNumber()) {
            if (!node.canConvertToInt() || node.isFloatingPointNumber() && node.asDouble() % 1 != 0) {
                throw new Unreadable("invalid-number", "must be a whole number");
            }
            return node.asInt();
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        Matcher m = Pattern.compile("^(\\d{1,3})(\\s*(years?|yrs?|ans?))?\\+?$", Pattern.CASE_INSENSITIVE).matcher(text);
        if (!m.matches()) {
            throw new Unreadable("invalid-number", "must be a whole number");
        }
        return Integer.parseInt(m.group(1));
    }

    private static Integer clb(String text) throws Unreadable {
        String compact = text.toUpperCase(Locale.ROOT).replaceAll("\\s", "");
        if (!compact.matches("^(CLB|NCLC)?\\d{1,2}\\+?$")) {
            throw new Unreadable("invalid-english-level", "must be a Canadian Language Benchmark level, e.g. 'CLB 7'");
        }
        Matcher m = FIRST_INTEGER.matcher(compact);
        m.find();
        int level = Integer.parseInt(m.group(1));
        if (level < 1 || level > 12) {
            throw new Unreadable("invalid-english-level", "must be a CLB level from 1 to 12");
        }
        return level;
    }

    /**
     * Whether the client consented, only as the agency said it: a JSON boolean, {@code true}/{@code false}, or one of
     * the answers its mapping declares ({@code values: {"Signed": true}}). Nothing else is read as consent — not
     * {@code x}, {@code 1} or {@code ✓}, which a form may use for something else — and, where the mapping declares its
     * answers, nothing but them: an answer it does not declare is named as such, never guessed.
     */
    private static Boolean consent(Object value, String text, Map<String, Object> valueMap) throws Unreadable {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof JsonNode node && node.isBoolean()) {
            return node.asBoolean();
        }
        if (!valueMap.isEmpty()) {
            throw new Unreadable("undeclared-answer", "is not one of the answers the mapping declares for consent ("
                    + String.join(", ", valueMap.keySet()) + ")");
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new Unreadable("invalid-boolean", "must be true or false, or one of the answers the "
                    + "agency's mapping declares for consent (its values)");
        };
    }

    private static Boolean bool(Object value, String text) throws Unreadable {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof JsonNode node && node.isBoolean()) {
            return node.asBoolean();
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1", "oui", "o", "x", "✓" -> true;
            case "false", "no", "n", "0", "non" -> false;
            default -> throw new Unreadable("invalid-boolean", "must be yes or no");
        };
    }
}
