package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Where a referral came from: the agency, its channel, its own reference, and the archived raw payload. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralSource(String agencyId, Channel channel, String agencyReference, Instant receivedAt,
                             String rawPayloadRef) {
}
