package org.referralhub.outcome;

import java.time.Instant;

/**
 * What a partner reports about a referral it received: a lifecycle {@code status} (accepted, rejected, in-progress,
 * on-hold, completed, cancelled), the program's own {@code businessStatus} (contacted, info-session, registered,
 * accepted, matched, declined…), either or both, why, and when it happened.
 *
 * @param at when it happened (null: when the hub hears of it)
 */
public record StatusUpdate(String referralId, String status, String businessStatus, String reason, Instant at) {
}
