package org.referralhub.outcome;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Program;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.RoutingDecision;
import org.referralhub.routing.PartnerTally;
import org.referralhub.routing.ReferralRouter;

/**
 * Referrals a partner received but neither accepted nor rejected: after the program's number of business days the
 * partner is reminded, then the referral goes to the next eligible partner (the agency told). Each step is a line
 * of the referral's history ({@code by: hub:stale}), which is also how the hub knows a step was taken.
 */
public final class StaleReferrals {

    public static final String BY = "hub:stale";
    private final ReferralRouter router = new ReferralRouter();

    /** What to do about one referral now. */
    public enum Step { NONE, REMIND, REROUTE }

    /** The step due for a referral, by its program's limits. */
    public Step due(Referral referral, Program.Staleness staleness, Instant now) {
        if (staleness == null || referral.status() != ReferralStatus.REQUESTED || referral.delivery() == null
                || referral.delivery().state() != Delivery.State.DELIVERED) {
            return Step.NONE;
        }
        Instant deliveredAt = deliveredAt(referral).orElse(null);
        if (deliveredAt == null) {
            return Step.NONE;
        }
        long waited = businessDaysBetween(deliveredAt, now);
        if (staleness.rerouteAfterBusinessDays() != null && waited >= staleness.rerouteAfterBusinessDays()) {
            return Step.REROUTE;
        }
        if (staleness.remindAfterBusinessDays() != null && waited >= staleness.remindAfterBusinessDays()
                && !reminded(referral)) {
            return Step.REMIND;
        }
        return Step.NONE;
    }

    /**
     * Whether a delivered referral has waited for its partner's answer at least as long as its program allows before
     * a reminder ({@code remindAfterBusinessDays}): what an administrator should look at.
     */
    public static boolean isStale(Referral referral, Program.Staleness staleness, Instant now) {
        if (staleness == null || staleness.remindAfterBusinessDays() == null
                || referral.status() != ReferralStatus.REQUESTED || referral.delivery() == null
                || referral.delivery().state() != Delivery.State.DELIVERED) {
            return false;
        }
        return deliveredAt(referral).map(at -> businessDaysBetween(at, now) >= staleness.remindAfterBusinessDays())
                .orElse(false);
    }

    /** The referral with the reminder recorded. */
    public Referral reminded(Referral referral, Instant now) {
        long waited = businessDaysBetween(deliveredAt(referral).orElse(now), now);
        return referral.movedTo(ReferralStatus.REQUESTED, referral.businessStatus(), "reminder sent to "
                + referral.partnerId() + " after " + waited + " business days without an answer", now, BY);
    }

    /**
     * The referral sent on to the next eligible partner (never one that let it go stale before), or on hold when
     * there is none; the new delivery is due at once.
     */
    public Referral rerouted(Referral referral, HubConfiguration config, Instant now) {
        Set<String> staleWith = referral.statusHistory().stream()
                .filter(h -> BY.equals(h.by()) && h.reason() != null && h.reason().startsWith("rerouted from "))
                .map(h -> h.reason().substring("rerouted from ".length()).split(" ")[0]).collect(Collectors.toSet());
        Set<String> excluded = new HashSet<>(staleWith);
        excluded.add(referral.partnerId());
        long waited = businessDaysBetween(deliveredAt(referral).orElse(now), now);
        ReferralRouter.Route route = router.route(config.routing(), config::partner, referral.referralId(),
                referral.agencyId(), referral.client(), now, new PartnerTally(), excluded);
        String from = referral.partnerId();
        if (!route.found()) {
            return referral.movedTo(ReferralStatus.ON_HOLD, null, "no partner left after " + from + " did not answer in "
                    + waited + " business days", now, BY);
        }
        Referral moved = referral.movedTo(ReferralStatus.REQUESTED, referral.businessStatus(), "rerouted from " + from
                + " to " + route.partnerId() + " after " + waited + " business days without an answer", now, BY);
        Referral routed = new Referral(moved.schemaVersion(), moved.referralId(), moved.program(), moved.source(),
                moved.client(), moved.consent(), moved.screening(),
                new RoutingDecision(route.partnerId(), route.ruleId(), now, route.passedOver()), moved.status(),
                moved.statusReason(), moved.businessStatus(), moved.statusHistory(), null, moved.outputs());
        return routed.withDelivery(Delivery.pending(ReferralIntake.deliveryId(referral.referralId(), route.partnerId()), now));
    }

    private static boolean reminded(Referral referral) {
        String partner = referral.partnerId();
        return referral.statusHistory().stream().anyMatch(h -> BY.equals(h.by()) && h.reason() != null
                && h.reason().startsWith("reminder sent to " + partner + " "));
    }

    static Optional<Instant> deliveredAt(Referral referral) {
        List<DeliveryAttempt> attempts = new ArrayList<>(referral.delivery().attempts());
        return attempts.stream().filter(a -> a.outcome() == DeliveryAttempt.Outcome.DELIVERED).map(DeliveryAttempt::at).findFirst();
    }

    /** Weekdays from one instant's date (exclusive) to the other's (inclusive), in UTC. */
    static long businessDaysBetween(Instant from, Instant to) {
        LocalDate day = from.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = to.atZone(ZoneOffset.UTC).toLocalDate();
        long count = 0;
        while (day.isBefore(last)) {
            day = day.plusDays(1);
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                count++;
            }
        }
        return count;
    }
}
