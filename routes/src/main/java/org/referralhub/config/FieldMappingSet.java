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
    /** The name of the built-in mapping for FHIR R4 transaction Bundles (see {@code mappings/fhir-r4.json}). */
    public static final String FHIR_R4 = "fhir-r4";

    /** Whether {@code name} is a mapping every hub has, whatever its configuration holds. */
    public static boolean isBuiltIn(String name) {
        return CANONICAL.equals(name) || FHIR_R4.equals(name);
    }

    public FieldMappingSet {
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
