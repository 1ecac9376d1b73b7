package org.referralhub.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.referralhub.config.DeliveryPolicy;

/**
 * When to try a failed delivery (or notice) again: the policy's delay for that attempt (the last delay repeating),
 * less up to a fifth at random so deliveries failed together do not all return at once; never sooner than the
 * partner asked in {@code Retry-After}, up to a day.
 */
public final class RetrySchedule {

    /** The longest {@code Retry-After} honoured: a partner asking for more is tried again after a day. */
    static final Duration LONGEST_RETRY_AFTER = Duration.ofDays(1);

    private final List<Integer> delays;

    public RetrySchedule(DeliveryPolicy policy) {
        this.delays = policy.delays();
    }

    /** The longest wait after the given (1-based) failed attempt. */
    public Duration ceilingAfter(int attempt) {
        return Duration.ofSeconds(delays.get(Math.min(Math.max(attempt, 1), delays.size()) - 1));
    }

    /** The wait after the given failed attempt: uniformly random in [4/5 of the ceiling, the ceiling]. */
    public Duration delayAfter(int attempt) {
        long ceiling = ceilingAfter(attempt).toMillis();
        return Duration.ofMillis(ceiling - ThreadLocalRandom.current().nextLong(ceiling / 5 + 1));
    }

    /** As {@link #delayAfter(int)}, but no sooner than the partner's {@code Retry-After} (null: it gave none). */
    public Duration delayAfter(int attempt, Duration retryAfter) {
        Duration scheduled = delayAfter(attempt);
        if (retryAfter == null || retryAfter.isNegative()) {
            return scheduled;
        }
        Duration asked = retryAfter.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : retryAfter;
        return asked.compareTo(scheduled) > 0 ? asked : scheduled;
    }
}
