package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The client's consent to be referred: whether, to what, since when and until when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Consent(Boolean given, List<String> scope, Instant capturedAt, Instant expiresAt) {

    public Consent {
        scope = scope == null ? List.of() : List.copyOf(scope);
    }

    /** Consent given and not expired at {@code now}. */
    public boolean isValidAt(Instant now) {
        return Boolean.TRUE.equals(given) && (expiresAt == null || expiresAt.isAfter(now));
    }
}
