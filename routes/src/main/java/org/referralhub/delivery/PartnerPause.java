package org.referralhub.delivery;

import java.time.Duration;
import java.time.Instant;
import org.referralhub.config.Partner;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;

/**
 * A partner whose endpoint answered {@code 410 Gone}: the endpoint is gone, so trying it again on the schedule only
 * wastes the referrals' time. Its deliveries are paused (the partner's {@code paused} in the configuration, set by the
 * hub and audited as any change; routing passes it over) until an administrator takes the pause away. A referral due
 * for it meanwhile waits on hold — its agency told — and is looked at again every {@link #RECHECK}; once the pause is
 * gone it is requested again and delivered, under its same idempotency id.
 */
public final class PartnerPause {

    /** The hold's status reason. */
    public static final String HELD = "partner-paused";
    /** How often a referral held for a paused partner is looked at again. */
    public static final Duration RECHECK = Duration.ofMinutes(15);
    private static final String BY = "hub:dispatch";

    /** The hub pauses a partner; answers nothing (it is a change of the configuration). */
    @FunctionalInterface
    public interface Pauser {
        void pause(Partner partner, Partner.Paused paused);
    }

    private PartnerPause() {
    }

    /** Whether a response status says the partner's endpoint is gone for good. */
    public static boolean gone(Integer responseStatus) {
        return responseStatus != null && responseStatus == 410;
    }

    /** The pause the hub puts on a partner whose endpoint answered 410 at {@code now}. */
    public static Partner.Paused goneAt(Instant now) {
        return new Partner.Paused("its endpoint answered 410 Gone: give the partner's new address, then take the pause "
                + "away (PATCH /admin/v1/partners/{id} {\"paused\": null})", now.toString(), BY);
    }

    /** A referral due for a paused partner: on hold (once; its agency told), its delivery looked at again later. */
    public static Referral held(Referral referral, Instant now) {
        Referral waiting = referral.withDelivery(deferred(referral.delivery(), now.plus(RECHECK)));
        return isHeld(referral) ? waiting : waiting.movedTo(ReferralStatus.ON_HOLD, referral.businessStatus(), HELD, now, BY);
    }

    /** A referral held for its partner's pause, the pause gone: requested again, to be delivered now. */
    public static Referral resumed(Referral referral, Instant now) {
        return referral.movedTo(ReferralStatus.REQUESTED, referral.businessStatus(), "partner-resumed", now, BY);
    }

    public static boolean isHeld(Referral referral) {
        return referral.status() == ReferralStatus.ON_HOLD && HELD.equals(referral.statusReason());
    }

    private static Delivery deferred(Delivery delivery, Instant next) {
        return new Delivery(Delivery.State.PENDING, delivery.idempotencyId(), next, null, delivery.attempts(),
                delivery.replayedAfter());
    }
}
