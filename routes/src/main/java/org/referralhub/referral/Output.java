package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Something a partner's work on a referral produced, as it reported it (a FHIR Task's {@code output}): what kind of
 * thing ({@code type}: "mentor match", "registration"), what it is ({@code value}), when it was reported and by whom.
 * Kept with the referral for its agency to read; a partner adds outputs and never takes one back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Output(String type, String value, Instant at, String by) {

    /** The most a referral keeps, and the longest type and value. */
    public static final int MAX_PER_REFERRAL = 50;
    public static final int MAX_TYPE = 100;
    public static final int MAX_VALUE = 500;

    /** An output as a partner reports it, before the hub records when and by whom. */
    public static Output reported(String type, String value) {
        return new Output(type, value, null, null);
    }

    /** Whether this is the same output as {@code other}: the same type and value, whenever reported. */
    public boolean sameAs(Output other) {
        return type.equalsIgnoreCase(other.type) && value.equals(other.value);
    }
}
