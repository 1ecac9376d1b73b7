package org.referralhub.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in limit slides: twenty failures within any ten minutes shut the door, even across the boundary a fixed
 * window would have (where 38 guesses fitted before); failures older than ten minutes no longer count.
 */
class SignInWindowTest {

    private static final String DOOR = "agency-key";
    private static final String SOURCE = "198.51.100.7";

    @TempDir
    Path folder;

    @Test
    void twentyFailuresAcrossAFixedWindowsBoundaryShutTheDoor() {
        try (WingParts parts = new WingParts(folder)) {
            long second = parts.clock.instant().getEpochSecond();
            parts.advance(Duration.ofSeconds(600 - second % 600 - 10));   // ten seconds before a ten-minute boundary
            for (int i = 0; i < 19; i++) {
                assertThat(parts.attempts.failed(DOOR, SOURCE)).as("failure " + (i + 1)).isEmpty();
            }
            parts.advance(Duration.ofSeconds(20));
            assertThat(parts.attempts.failed(DOOR, SOURCE)).as("the twentieth, past the boundary").isPresent();
            assertThat(parts.attempts.blockedUntil(DOOR, SOURCE)).get()
                    .isEqualTo(parts.clock.instant().plus(Duration.ofMinutes(10)));
            assertThat(parts.attempts.blockedUntil("partner-key", SOURCE)).as("another door").isEmpty();
        }
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        try (WingParts parts = new WingParts(folder)) {
            for (int i = 0; i < 19; i++) {
                parts.attempts.failed(DOOR, SOURCE);
            }
            parts.advance(Duration.ofMinutes(11));
            assertThat(parts.attempts.failed(DOOR, SOURCE)).isEmpty();
            assertThat(parts.attempts.blockedUntil(DOOR, SOURCE)).isEmpty();
        }
    }
}
