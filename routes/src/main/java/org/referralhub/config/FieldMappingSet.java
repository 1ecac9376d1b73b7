package org.referralhub.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one agency format maps onto the canonical referral: for each canonical field (by its path, e.g.
 * {@code client.email}), where to find the value in the agency's payload and how to read it.
 */
public record FieldMappingSet(String description, Map<String, FieldMapping> fields) {

    /** The name of the built-in mapping for payloads already in the canonical format. */
    public static final String CANONICAL = "canonical";

    public FieldMappingSet {
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
