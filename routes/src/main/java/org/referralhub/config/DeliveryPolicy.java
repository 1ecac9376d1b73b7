package org.referralhub.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Retries of partner deliveries, after Standard Webhooks' delivery rules: attempt at once, then after each delay of
 * {@code retryDelaysSeconds} in turn (the last one again and again), with a little jitter, for as long as the first
 * attempt of the series is less than {@code retryForHours} ago — so a partner down over a long weekend gets its
 * referrals when it is back, with no one's help. {@code maxAttempts}, when set, gives up sooner. By default: at once,
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then every 10 h, for 72 hours.
 *
 * <p>{@code initialBackoffSeconds} and {@code maxBackoffSeconds} are read from configurations written before the
 * schedule: without {@code retryDelaysSeconds}, delays double from the first up to the second.
 *
 * @param concurrentDeliveries how many deliveries one dispatcher (a Lambda invocation, the local hub) makes at once
 *                             from a batch of newly stored referrals; each is claimed alone, so they never overlap
 */
public record DeliveryPolicy(Integer maxAttempts, Integer initialBackoffSeconds, Integer maxBackoffSeconds,
                             int connectTimeoutSeconds, int responseTimeoutSeconds, Integer concurrentDeliveries,
                             List<Integer> retryDelaysSeconds, Integer retryForHours) {

    public static final int DEFAULT_CONCURRENT_DELIVERIES = 8;
    /** Standard Webhooks' schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h (then 10 h again). */
    public static final List<Integer> STANDARD_DELAYS = List.of(5, 300, 1800, 7200, 18000, 36000);
    public static final int DEFAULT_RETRY_FOR_HOURS = 72;
    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(null, null, null, 5, 15,
            DEFAULT_CONCURRENT_DELIVERIES, STANDARD_DELAYS, DEFAULT_RETRY_FOR_HOURS);

    public DeliveryPolicy {
        concurrentDeliveries = concurrentDeliveries == null ? DEFAULT_CONCURRENT_DELIVERIES
                : Math.max(1, Math.min(64, concurrentDeliveries));
        retryDelaysSeconds = retryDelaysSeconds == null ? null : List.copyOf(retryDelaysSeconds);
    }

    /** The waits after each failed attempt, in seconds; the last one repeats. */
    public List<Integer> delays() {
        if (retryDelaysSeconds != null && !retryDelaysSeconds.isEmpty()) {
            return retryDelaysSeconds;
        }
        if (initialBackoffSeconds == null) {
            return STANDARD_DELAYS;
        }
        int ceiling = maxBackoffSeconds == null ? 3600 : maxBackoffSeconds;
        List<Integer> doubling = new ArrayList<>();
        for (long seconds = Math.max(1, initialBackoffSeconds); doubling.size() < 20; seconds *= 2) {
            doubling.add((int) Math.min(seconds, ceiling));
            if (seconds >= ceiling) {
                break;
            }
        }
        return List.copyOf(doubling);
    }

    /** How long after the first attempt of a series a failed one is tried again. */
    public Duration retryFor() {
        return Duration.ofHours(retryForHours == null ? DEFAULT_RETRY_FOR_HOURS : retryForHours);
    }

    /** Every reason this policy cannot run (a delay or horizon below one). */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (retryDelaysSeconds != null && retryDelaysSeconds.stream().anyMatch(d -> d == null || d < 1)) {
            problems.add("delivery.retryDelaysSeconds are whole seconds of at least 1");
        }
        if (retryForHours != null && retryForHours < 1) {
            problems.add("delivery.retryForHours is at least 1");
        }
        if (maxAttempts != null && maxAttempts < 1) {
            problems.add("delivery.maxAttempts is at least 1");
        }
        return problems;
    }
}
