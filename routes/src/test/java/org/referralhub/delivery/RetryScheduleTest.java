package org.referralhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.referralhub.config.DeliveryPolicy;

class RetryScheduleTest {

    private final RetrySchedule standard = new RetrySchedule(DeliveryPolicy.DEFAULT);

    @Test
    void byDefaultTheStandardWebhooksScheduleThenEveryTenHours() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 30).stream().map(standard::ceilingAfter).toList()).containsExactly(
                Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(DeliveryPolicy.DEFAULT.retryFor()).isEqualTo(Duration.ofHours(72));
        assertThat(DeliveryPolicy.DEFAULT.maxAttempts()).as("no attempt count gives up before the 72 hours").isNull();
    }

    @Test
    void aConfigurationWrittenBeforeTheScheduleKeepsItsDoublingBackoff() {
        RetrySchedule doubling = new RetrySchedule(new DeliveryPolicy(8, 5, 300, 5, 15, null, null, null));
        assertThat(List.of(1, 2, 4, 7, 60).stream().map(doubling::ceilingAfter).toList()).containsExactly(
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofSeconds(300),
                Duration.ofSeconds(300));
    }

    @RepeatedTest(20)
    void jitterTakesAtMostAFifthOff() {
        assertThat(standard.delayAfter(3)).isBetween(Duration.ofMinutes(24), Duration.ofMinutes(30));
    }

    @Test
    void aPartnersRetryAfterIsHonouredUpToADay() {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        assertThat(standard.delayAfter(1, Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(2));
        assertThat(standard.delayAfter(6, Duration.ofMinutes(2))).as("the schedule, when it is later")
                .isGreaterThan(Duration.ofHours(7));
        assertThat(standard.delayAfter(1, Duration.ofDays(9))).isEqualTo(Duration.ofDays(1));
        assertThat(RetryAfter.of(Map.of("retry-after", "120"), now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.of(Map.of("Retry-After", "Sat, 05 Dec 2026 11:30:00 GMT"), now))
                .isEqualTo(Duration.ofMinutes(90));
        assertThat(RetryAfter.of(Map.of("Retry-After", "soon"), now)).isNull();
        assertThat(RetryAfter.of(Map.of("Retry-After", "Sat, 05 Dec 2026 09:00:00 GMT"), now)).isNull();
        assertThat(RetryAfter.of(Map.of(), now)).isNull();
    }

    @Test
    void anOverloadedPartnerWithoutRetryAfterIsGivenTwiceTheTime() {
        for (int status : new int[] {429, 502, 503, 504}) {
            assertThat(standard.delayAfter(3, null, status)).as("HTTP " + status)
                    .isBetween(Duration.ofMinutes(48), Duration.ofMinutes(60));
        }
        assertThat(standard.delayAfter(3, null, 500)).isBetween(Duration.ofMinutes(24), Duration.ofMinutes(30));
        assertThat(standard.delayAfter(9, null, 503)).as("never longer than the schedule's longest wait")
                .isEqualTo(Duration.ofHours(10));
        assertThat(standard.delayAfter(3, Duration.ofMinutes(1), 503)).as("its own Retry-After, when it gave one")
                .isBetween(Duration.ofMinutes(24), Duration.ofMinutes(30));
    }
}
