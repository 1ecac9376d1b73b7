package org.referralhub.intake;

/**
 * What is wrong with one field. {@code field} is the canonical path, {@code source} the agency's own field
 * where the value came from. Messages never repeat the value: it may be personal data.
 */
public record FieldError(String field, String source, String code, String message) {
}
