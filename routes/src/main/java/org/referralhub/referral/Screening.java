package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The pre-screening result. {@code eligible} is the hub's verdict on the program's rules;
 * {@code suitable} is the referring coach's assessment, when the agency sends one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Screening(boolean eligible, Boolean suitable, List<Reason> reasons) {

    public Screening {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** Eligible, and not judged unsuitable by the coach. */
    public boolean forwardable() {
        return eligible && !Boolean.FALSE.equals(suitable);
    }

    /** One reason, with a stable code for machines and a sentence for people. */
    public record Reason(String code, String message) {
    }
}
