package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The ways a referral reaches the hub and leaves it: FHIR is an agency's transaction Bundle, a partner's FHIR server. */
public enum Channel {
    WEBHOOK, SFTP, EMAIL, FHIR;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Channel fromCode(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
