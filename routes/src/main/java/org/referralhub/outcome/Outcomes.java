package org.referralhub.outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.Output;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;

/**
 * Applies a partner's report to a referral, or refuses it with the reason. The lifecycle is HL7's task status
 * ({@link ReferralStatus#next()}): a closed referral takes no further change, and a referral moves only forward. The
 * program's milestones travel beside it; each known one implies a lifecycle status, so a partner may send only
 * "registered".
 */
public final class Outcomes {

    /** The program's milestones, in the order a client goes through them, and the lifecycle status each implies. */
    public static final Map<String, ReferralStatus> MILESTONES = new LinkedHashMap<>();

    static {
        MILESTONES.put("contacted", ReferralStatus.ACCEPTED);
        MILESTONES.put("info-session", ReferralStatus.IN_PROGRESS);
        MILESTONES.put("registered", ReferralStatus.IN_PROGRESS);
        MILESTONES.put("accepted", ReferralStatus.IN_PROGRESS);
        MILESTONES.put("matched", ReferralStatus.IN_PROGRESS);
        MILESTONES.put("mentoring-completed", ReferralStatus.COMPLETED);
    }

    /** Milestones that end a referral: declined before the partner took it on is a rejection, after, a cancellation. */
    public static final List<String> ENDINGS = List.of("declined", "withdrawn", "no-response", "not-eligible");

    private Outcomes() {
    }

    /** A report the hub refuses, with a reason fit for the partner (never client data). */
    public static final class RefusedUpdate extends RuntimeException {
        private final String code;

        public RefusedUpdate(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * The referral after the partner's report.
     *
     * @throws RefusedUpdate when the referral is not the partner's, not delivered yet, closed, or the move goes back
     */
    public static Referral apply(Referral referral, StatusUpdate update, String partnerId, Instant now) {
        if (!partnerId.equals(referral.partnerId())) {
            throw new RefusedUpdate("not-yours", "This referral was not sent to you.");
        }
        // a partner may answer while the hub is still recording the delivery (a callback made during the webhook
        // call, say): any referral sent to it counts; one withheld never was
        if (referral.delivery() == null || referral.delivery().state() == Delivery.State.WITHHELD) {
            throw new RefusedUpdate("not-delivered", "This referral has not been sent to you.");
        }
        String business = update.businessStatus() == null || update.businessStatus().isBlank() ? null
                : update.businessStatus().trim().toLowerCase(Locale.ROOT);
        // a report of outputs alone (what the work produced) keeps the referral where it is
        boolean outputsAlone = (update.status() == null || update.status().isBlank()) && business == null
                && !update.outputs().isEmpty();
        ReferralStatus target = outputsAlone ? referral.status() : target(referral.status(), update.status(), business);
        Instant at = update.at() == null ? now : update.at();
        if (at.isAfter(now.plus(Duration.ofMinutes(5)))) {
            throw new RefusedUpdate("future-date", "The date of the update is in the future.");
        }
        Instant received = referral.source().receivedAt();
        if (at.isBefore(received.minus(Duration.ofDays(1)))) {
            throw new RefusedUpdate("date-before-referral", "The date of the update is before the referral was made.");
        }
        // a date (or a clock a little behind) on the day it was made: the timeline never shows a step before it
        if (at.isBefore(received)) {
            at = received;
        }
        if (referral.status().isFinal()) {
            throw new RefusedUpdate("closed", "The referral is " + referral.status().code()
                    + " and takes no further change.");
        }
        if (target != referral.status() && !referral.status().canMoveTo(target)) {
            throw new RefusedUpdate("invalid-transition", "A referral cannot go from " + referral.status().code()
                    + " to " + target.code() + "; from " + referral.status().code() + " it can go to "
                    + referral.status().next().stream().map(ReferralStatus::code).toList() + ".");
        }
        List<Output> added = added(referral, update.outputs(), partnerId, at);
        if (target == referral.status() && (outputsAlone || Objects.equals(business, referral.businessStatus()))) {
            return added.isEmpty() ? referral : referral.withOutputs(added);
        }
        String reason = update.reason() == null || update.reason().isBlank() ? null : update.reason().trim();
        if (reason != null && reason.length() > 500) {
            throw new RefusedUpdate("reason-too-long", "A reason has at most 500 characters.");
        }
        return referral.movedTo(target, business == null ? referral.businessStatus() : business, reason, at,
                "partner:" + partnerId).withOutputs(added);
    }

    /** The reported outputs the referral does not have yet, recorded as the partner's at {@code at}; refused when unfit. */
    private static List<Output> added(Referral referral, List<Output> reported, String partnerId, Instant at) {
        List<Output> added = new ArrayList<>();
        for (Output output : reported) {
            if (output.type() == null || output.type().isBlank() || output.type().length() > Output.MAX_TYPE
                    || output.value() == null || output.value().isBlank() || output.value().length() > Output.MAX_VALUE) {
                throw new RefusedUpdate("invalid-output", "An output has a type (at most " + Output.MAX_TYPE
                        + " characters) and a value (at most " + Output.MAX_VALUE + ").");
            }
            Output recorded = new Output(output.type().trim(), output.value().trim(), at, "partner:" + partnerId);
            if (referral.outputs().stream().noneMatch(recorded::sameAs) && added.stream().noneMatch(recorded::sameAs)) {
                added.add(recorded);
            }
        }
        if (referral.outputs().size() + added.size() > Output.MAX_PER_REFERRAL) {
            throw new RefusedUpdate("too-many-outputs", "A referral keeps at most " + Output.MAX_PER_REFERRAL + " outputs.");
        }
        return added;
    }

    /** The lifecycle status the report asks for: as sent, or implied by the milestone, or unchanged. */
    static ReferralStatus target(ReferralStatus current, String status, String business) {
        if (status != null && !status.isBlank()) {
            try {
                ReferralStatus explicit = ReferralStatus.fromCode(status);
                if (explicit == ReferralStatus.REQUESTED) {
                    throw new RefusedUpdate("invalid-transition", "A partner cannot move a referral back to requested.");
                }
                return explicit;
            } catch (IllegalArgumentException e) {
                throw new RefusedUpdate("unknown-status", "Unknown status '" + status.trim()
                        + "'; use accepted, rejected, in-progress, on-hold, completed or cancelled.");
            }
        }
        if (business == null) {
            throw new RefusedUpdate("empty-update", "Send a status, a business status, or both.");
        }
        if (MILESTONES.containsKey(business)) {
            ReferralStatus implied = MILESTONES.get(business);
            // a milestone never moves a referral back: "contacted" after "registered" keeps it in progress
            return current == ReferralStatus.IN_PROGRESS && implied == ReferralStatus.ACCEPTED ? current : implied;
        }
        if (ENDINGS.contains(business)) {
            return current == ReferralStatus.REQUESTED ? ReferralStatus.REJECTED : ReferralStatus.CANCELLED;
        }
        throw new RefusedUpdate("unknown-business-status", "Business status '" + business + "' needs a status with it; "
                + "known on their own: " + MILESTONES.keySet() + " and " + ENDINGS + ".");
    }
}
