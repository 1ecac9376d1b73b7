package org.referralhub.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;
import java.util.Map;

/**
 * Where one canonical field comes from.
 *
 * @param from       source paths tried in order; a path is a literal key, or dotted names with {@code [n]}
 *                   indexes and {@code [name=value]} selectors, e.g. {@code answers[field.ref=email].email}
 * @param values     value map applied before normalization, case-insensitively ("Oui" -> true)
 * @param dateFormat a {@code java.time} pattern for dates that are not ISO-8601, e.g. {@code dd/MM/yyyy}
 * @param split      separator that turns one text into a list (for list fields)
 * @param defaultValue value used when no source path has one
 */
public record FieldMapping(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> from,
        Map<String, Object> values,
        String dateFormat,
        String split,
        Object defaultValue) {

    public FieldMapping {
        from = from == null ? List.of() : List.copyOf(from);
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public static FieldMapping from(String path) {
        return new FieldMapping(List.of(path), null, null, null, null);
    }
}
