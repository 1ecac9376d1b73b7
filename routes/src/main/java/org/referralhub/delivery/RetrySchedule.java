package org.referralhub.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.referralhub.config.DeliveryPolicy;

/** Exponential backoff with full jitter: attempt n waits a random time up to initial x 2^(n-1), capped. */
public final class RetrySchedule {

    private final DeliveryPolicy policy;

    public RetrySchedule(DeliveryPolicy policy) {
        this.policy = policy;
    }

    /** The longest wait after the given (1-based) failed attempt. */
    public Duration ceilingAfter(int attempt) {
        long seconds = policy.initialBackoffSeconds() * (1L << Math.min(Math.max(attempt - 1, 0), 20));
        return Duration.ofSeconds(Math.min(seconds, policy.maxBackoffSeconds()));
    }

    /** The wait after the given failed attempt: uniformly random in [ceiling/2, ceiling]. */
    public Duration delayAfter(int attempt) {
        long ceiling = ceilingAfter(attempt).toMillis();
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
