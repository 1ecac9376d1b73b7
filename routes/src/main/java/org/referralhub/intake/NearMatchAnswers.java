package org.referralhub.intake;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.referralhub.referral.NearMatch;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;

/**
 * An agency's answer about a referral held as a near match ({@link NearMatch}): another client — the referral is
 * routed and delivered as any other; the same client — it is cancelled, the earlier referral kept. Answered once: a
 * referral no longer held is left as it is.
 */
public final class NearMatchAnswers {

    /** What became of an answer. */
    public sealed interface Result permits Answered, NotHeld, NotFound {
    }

    /** Applied: the referral as it is now. */
    public record Answered(Referral referral) implements Result {
    }

    /** The referral is not (or no longer) held as a near match: nothing changed. */
    public record NotHeld(Referral referral) implements Result {
    }

    /** No such referral of this agency. */
    public record NotFound() implements Result {
    }

    private final ReferralStore store;
    private final ReferralIntake intake;
    private final ReferralStore.Settlement settlement;

    /**
     * @param settlement told of a released referral once it is stored routed (partners' load counts it)
     */
    public NearMatchAnswers(ReferralStore store, ReferralIntake intake, ReferralStore.Settlement settlement) {
        this.store = store;
        this.intake = intake;
        this.settlement = settlement;
    }

    /**
     * Applies {@code answer} to the referral, if {@code agencyId} sent it ({@code null}: an administrator, any
     * agency's) and it is held as a near match. {@code by} goes into its history ({@code agency:cics}).
     */
    public Result answer(String agencyId, String referralId, NearMatch.Answer answer, String by, Instant now) {
        Optional<Referral> found = store.find(referralId)
                .filter(r -> agencyId == null || agencyId.equals(r.agencyId()));
        if (found.isEmpty()) {
            return new NotFound();
        }
        if (!NearMatch.isHeld(found.get())) {
            return new NotHeld(found.get());
        }
        boolean[] applied = {false};
        Optional<Referral> after = store.modify(referralId, current -> {
            applied[0] = NearMatch.isHeld(current);
            if (!applied[0]) {
                return current;
            }
            return switch (answer) {
                case ANOTHER_CLIENT -> intake.release(current, by, now);
                case SAME_CLIENT -> NearMatch.sameClient(current, by, now);
            };
        });
        if (after.isEmpty()) {
            return new NotFound();
        }
        if (!applied[0]) {
            return new NotHeld(after.get());
        }
        Referral referral = after.get();
        settlement.settled(List.of(referral), r -> r.routing() != null);
        return new Answered(referral);
    }
}
