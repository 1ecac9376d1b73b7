package org.referralhub.outcome;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.referralhub.referral.Referral;
import org.referralhub.referral.StatusChange;

/**
 * What a referring agency is told when one of its referrals changes status: the referral by id and by the agency's
 * own reference, where it is, and why — never the client's personal data (the agency has its own record).
 * {@code noticeId} is the same on every retry, so the agency can ignore a repeat.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notice(String type, String noticeId, String referralId, String agencyId, String agencyReference,
                     String partnerId, String status, String businessStatus, String reason, Instant at, String by) {

    public static final String STATUS_CHANGED = "referral.status-changed";
    /** To administrators: the hub paused a partner's deliveries (its endpoint answered 410 Gone). */
    public static final String PARTNER_PAUSED = "partner.paused";

    /** The notice of a referral's latest step. */
    public static Notice of(String noticeId, Referral referral) {
        StatusChange last = referral.statusHistory().get(referral.statusHistory().size() - 1);
        return new Notice(STATUS_CHANGED, noticeId, referral.referralId(), referral.agencyId(),
                referral.source().agencyReference(), referral.partnerId(), last.status().code(), last.businessStatus(),
                last.reason(), last.at(), last.by());
    }

    /** The administrators' notice of a partner paused at {@code at}: one per pause, whatever retries it takes. */
    public static Notice partnerPaused(String partnerId, String reason, Instant at, String by) {
        return new Notice(PARTNER_PAUSED, "paused-" + partnerId + "-" + at.toEpochMilli(), null, null, null, partnerId,
                "paused", null, reason, at, by);
    }

    /** Whether administrators, not an agency, are the ones told. */
    public boolean forAdministrators() {
        return PARTNER_PAUSED.equals(type);
    }
}
