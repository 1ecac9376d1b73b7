package org.referralhub.config;

/**
 * Retries of partner deliveries: exponential backoff from {@code initialBackoffSeconds}, doubled each attempt,
 * capped at {@code maxBackoffSeconds}, with full jitter; after {@code maxAttempts} the delivery has failed.
 *
 * @param concurrentDeliveries how many deliveries one dispatcher (a Lambda invocation, the local hub) makes at once
 *                             from a batch of newly stored referrals; each is claimed alone, so they never overlap
 */
public record DeliveryPolicy(int maxAttempts, int initialBackoffSeconds, int maxBackoffSeconds,
                             int connectTimeoutSeconds, int responseTimeoutSeconds, Integer concurrentDeliveries) {

    public static final int DEFAULT_CONCURRENT_DELIVERIES = 8;
    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(8, 5, 3600, 5, 15, DEFAULT_CONCURRENT_DELIVERIES);

    public DeliveryPolicy {
        concurrentDeliveries = concurrentDeliveries == null ? DEFAULT_CONCURRENT_DELIVERIES
                : Math.max(1, Math.min(64, concurrentDeliveries));
    }
}
