package org.referralhub.referral;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A near match held for its agency: a referral whose client has the name of an open referral's client in the same
 * program, but none of its contacts — maybe the same person with a new e-mail, maybe a namesake. Where its program
 * says so, the hub does not guess: the referral waits on hold, unrouted and unsent, until its agency answers.
 */
public final class NearMatch {

    /** The hold's status reason, and the code of the screening reason that tells the agency why. */
    public static final String HELD = "near-match";
    /** The status reason of a held referral its agency said was the same client: cancelled, the first one kept. */
    public static final String SAME_CLIENT = "same-client";

    private NearMatch() {
    }

    /** The agency's answer about a held referral. */
    public enum Answer {
        /** Another person of the same name: the referral goes on, routed and delivered. */
        ANOTHER_CLIENT,
        /** The client of the earlier referral: this one is cancelled, the earlier one stays. */
        SAME_CLIENT;

        /** The answer as agencies write it: {@code another-client}, {@code same-client}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The answer written {@code code}, or empty when it is neither. */
        public static Optional<Answer> of(String code) {
            return Arrays.stream(values()).filter(a -> a.code().equals(code)).findFirst();
        }

        /** How to answer, for a refusal. */
        public static final String HOW = "Send JSON: {\"answer\": \"another-client\"} (a client of its own: route "
                + "and deliver it) or {\"answer\": \"same-client\"} (the client of the earlier referral: cancel this one).";
    }

    /**
     * {@code referral} as it is stored when it near-matches {@code earlierId}: on hold, unrouted, its delivery
     * withheld, the reason (naming the earlier referral, and the answer the agency gives) among its screening's.
     */
    public static Referral held(Referral referral, String earlierId, Instant now) {
        List<Screening.Reason> reasons = new ArrayList<>(referral.screening().reasons());
        reasons.add(new Screening.Reason(HELD, "the same name as open referral " + earlierId + ", with other contact "
                + "details: held until your agency says whether this is another client (POST /v1/referrals/"
                + referral.referralId() + "/near-match {\"answer\": \"another-client\"}) or the same one "
                + "({\"answer\": \"same-client\"})"));
        Screening screening = new Screening(referral.screening().eligible(), referral.screening().suitable(), reasons);
        return new Referral(referral.schemaVersion(), referral.referralId(), referral.program(), referral.source(),
                referral.client(), referral.consent(), screening, null, referral.status(), referral.statusReason(),
                referral.businessStatus(), referral.statusHistory(), null, referral.outputs())
                .movedTo(ReferralStatus.ON_HOLD, null, HELD, now, "hub:near-match")
                .withDelivery(Delivery.withheld());
    }

    /** Whether a referral waits for its agency's answer about a near match. */
    public static boolean isHeld(Referral referral) {
        return referral.status() == ReferralStatus.ON_HOLD && HELD.equals(referral.statusReason());
    }

    /** A held referral with the hold's reason taken off its screening (answered: it no longer applies). */
    public static Screening screeningWithoutHold(Referral referral) {
        Screening screening = referral.screening();
        return new Screening(screening.eligible(), screening.suitable(),
                screening.reasons().stream().filter(r -> !HELD.equals(r.code())).toList());
    }

    /** A held referral its agency said was the same client: cancelled, the earlier referral kept. */
    public static Referral sameClient(Referral held, String by, Instant now) {
        return held.movedTo(ReferralStatus.CANCELLED, null, SAME_CLIENT, now, by);
    }
}
