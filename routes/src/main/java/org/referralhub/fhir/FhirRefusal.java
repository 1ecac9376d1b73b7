package org.referralhub.fhir;

/**
 * A FHIR request the door refuses, and the HTTP status it answers with: 400 (not understood, named), 403 (another
 * partner's Tasks) or 422 (a change a partner cannot make, named). Its message says what, never a client's data.
 */
public final class FhirRefusal extends RuntimeException {

    private final int status;

    public FhirRefusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
