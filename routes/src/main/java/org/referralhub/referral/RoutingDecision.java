package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Which partner gets the referral, by which rule (or the fallback), and when that was decided. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoutingDecision(String partnerId, String ruleId, Instant decidedAt) {
}
