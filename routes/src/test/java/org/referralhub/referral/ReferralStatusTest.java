package org.referralhub.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReferralStatusTest {

    @Test
    void closedReferralsDoNotMoveAgain() {
        for (ReferralStatus s : ReferralStatus.values()) {
            if (s.isFinal()) {
                assertThat(s.next()).as(s.code()).isEmpty();
            }
        }
        assertThat(ReferralStatus.COMPLETED.canMoveTo(ReferralStatus.REQUESTED)).isFalse();
    }

    @Test
    void theLifecycleMovesForward() {
        assertThat(ReferralStatus.REQUESTED.canMoveTo(ReferralStatus.ACCEPTED)).isTrue();
        assertThat(ReferralStatus.ACCEPTED.canMoveTo(ReferralStatus.IN_PROGRESS)).isTrue();
        assertThat(ReferralStatus.IN_PROGRESS.canMoveTo(ReferralStatus.COMPLETED)).isTrue();
        assertThat(ReferralStatus.ACCEPTED.canMoveTo(ReferralStatus.REQUESTED)).isFalse();
    }

    @Test
    void codesAreTheHl7Ones() {
        assertThat(ReferralStatus.fromCode("in-progress")).isEqualTo(ReferralStatus.IN_PROGRESS);
        assertThat(ReferralStatus.fromCode("ON_HOLD")).isEqualTo(ReferralStatus.ON_HOLD);
        assertThatThrownBy(() -> ReferralStatus.fromCode("lost")).isInstanceOf(IllegalArgumentException.class);
    }
}
