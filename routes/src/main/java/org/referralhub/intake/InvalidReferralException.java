package org.referralhub.intake;

import java.util.List;

/** A payload that cannot become a canonical referral; carries every field error found, not just the first. */
public class InvalidReferralException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidReferralException(String message, List<FieldError> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
