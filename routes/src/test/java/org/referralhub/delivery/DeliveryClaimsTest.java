package org.referralhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.referral.Referral;

class DeliveryClaimsTest {

    private static final Instant CLAIMED = Instant.parse("2026-11-23T15:00:00Z");
    private static final Duration ATTEMPT = Duration.ofSeconds(20);

    private static Referral claimedFor(Duration lease) {
        Referral referral = Samples.storedReferral();
        return referral.withDelivery(referral.delivery().leasedUntil(CLAIMED.plus(lease)));
    }

    @Test
    void anAttemptBeginsOnlyWhileEveryClaimHoldsForAWholeAttemptMore() {
        List<Referral> batch = List.of(claimedFor(Duration.ofSeconds(80)), claimedFor(Duration.ofSeconds(80)));

        assertThat(DeliveryClaims.mayBegin(batch, CLAIMED, ATTEMPT)).isTrue();
        assertThat(DeliveryClaims.mayBegin(batch, CLAIMED.plusSeconds(60), ATTEMPT)).as("ends as the claim runs out")
                .isTrue();
        // begun now, it could still be running when the claim runs out and another dispatcher takes the referral
        assertThat(DeliveryClaims.mayBegin(batch, CLAIMED.plusSeconds(61), ATTEMPT)).isFalse();
    }

    @Test
    void oneClaimShorterThanTheRestHoldsTheAttemptBack() {
        List<Referral> batch = List.of(claimedFor(Duration.ofSeconds(80)), claimedFor(Duration.ofSeconds(30)));

        assertThat(DeliveryClaims.mayBegin(batch, CLAIMED.plusSeconds(15), ATTEMPT)).isFalse();
        assertThat(DeliveryClaims.mayBegin(List.of(Samples.storedReferral()), CLAIMED, ATTEMPT))
                .as("never claimed").isFalse();
    }
}
