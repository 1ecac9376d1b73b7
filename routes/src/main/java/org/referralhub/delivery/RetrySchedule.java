package org.referralhub.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.referralhub.config.DeliveryPolicy;

/**
 * When to try a failed delivery (or notice) again: the policy's delay for that attempt (the last delay repeating),
 * less up to a fifth at random so deliveries failed together do not all return at once; never sooner than the
 * partner asked in {@code Retry-After}, up to a day; twice as long (up to the schedule's longest wait) when it said it
 * is overloaded (429, 502, 503, 504) without saying when to come back.
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

    /** Statuses by which a partner says it is overloaded or cannot answer now: the hub slows down. */
    static final Set<Integer> OVERLOADED = Set.of(429, 502, 503, 504);

    /** As {@link #delayAfter(int)}, but no sooner than the partner's {@code Retry-After} (null: it gave none). */
    public Duration delayAfter(int attempt, Duration retryAfter) {
        return delayAfter(attempt, retryAfter, null);
    }

    /**
     * As {@link #delayAfter(int, Duration)}; a partner that answered it is overloaded ({@link #OVERLOADED}) without
     * saying when to come back waits twice the schedule's delay, so the hub slows down as the partner asks.
     */
    public Duration delayAfter(int attempt, Duration retryAfter, Integer status) {
        Duration scheduled = delayAfter(attempt);
        if (retryAfter == null && status != null && OVERLOADED.contains(status)) {
            // slower, never slower than the schedule's longest wait: a partner back after a weekend waits no longer
            Duration doubled = scheduled.multipliedBy(2);
            Duration longest = ceilingAfter(delays.size());
            scheduled = doubled.compareTo(longest) > 0 ? (scheduled.compareTo(longest) > 0 ? scheduled : longest) : doubled;
        }
        if (retryAfter == null || retryAfter.isNegative()) {
            return scheduled;
        }
        Duration asked = retryAfter.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : retryAfter;
        return asked.compareTo(scheduled) > 0 ? asked : scheduled;
    }
}
