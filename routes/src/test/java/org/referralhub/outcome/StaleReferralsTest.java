package org.referralhub.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StaleReferralsTest {

    @Test
    void businessDaysSkipWeekends() {
        // Friday to Monday: one business day; Monday to next Monday: five
        assertThat(StaleReferrals.businessDaysBetween(Instant.parse("2026-11-27T16:00:00Z"), Instant.parse("2026-11-30T09:00:00Z"))).isEqualTo(1);
        assertThat(StaleReferrals.businessDaysBetween(Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-30T10:00:00Z"))).isEqualTo(5);
        assertThat(StaleReferrals.businessDaysBetween(Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-29T10:00:00Z"))).isZero();
    }
}
