package org.referralhub.config;

/**
 * Retries of partner deliveries: exponential backoff from {@code initialBackoffSeconds}, doubled each attempt,
 * capped at {@code maxBackoffSeconds}, with full jitter; after {@code maxAttempts} the delivery has failed.
 */
public record DeliveryPolicy(int maxAttempts, int initialBackoffSeconds, int maxBackoffSeconds,
                             int connectTimeoutSeconds, int responseTimeoutSeconds) {

    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(8, 5, 3600, 5, 15);
}
