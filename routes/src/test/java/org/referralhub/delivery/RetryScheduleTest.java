package org.referralhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.referralhub.config.DeliveryPolicy;

class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(new DeliveryPolicy(8, 5, 300, 5, 15, null));

    @Test
    void backoffDoublesUntilTheCap() {
        assertThat(schedule.ceilingAfter(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.ceilingAfter(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.ceilingAfter(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(schedule.ceilingAfter(7)).isEqualTo(Duration.ofSeconds(300));
        assertThat(schedule.ceilingAfter(60)).isEqualTo(Duration.ofSeconds(300));
    }

    @RepeatedTest(20)
    void jitterStaysBetweenHalfAndTheCeiling() {
        Duration delay = schedule.delayAfter(3);
        assertThat(delay).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }
}
