package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One step of a referral's history. {@code by} names who moved it: the hub, an agency or a partner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusChange(ReferralStatus status, String businessStatus, String reason, Instant at, String by) {
}
