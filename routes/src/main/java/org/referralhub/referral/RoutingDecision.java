package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Which partner gets the referral, by which rule (or the fallback), and when that was decided; {@code passedOver}
 * names the partners skipped on the way and why (full, over quota, outside their service area).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RoutingDecision(String partnerId, String ruleId, Instant decidedAt, List<String> passedOver) {

    public RoutingDecision {
        passedOver = passedOver == null ? List.of() : List.copyOf(passedOver);
    }

    public RoutingDecision(String partnerId, String ruleId, Instant decidedAt) {
        this(partnerId, ruleId, decidedAt, null);
    }
}
