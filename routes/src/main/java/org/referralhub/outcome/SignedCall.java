package org.referralhub.outcome;

import java.time.Instant;
import org.referralhub.delivery.WebhookSignature;

/**
 * One Standard Webhooks call the hub makes to an agency or a partner: signed with the receiver's secret, with the
 * same {@code webhook-id} on every retry, so the receiver can tell a retry from a new call.
 */
public record SignedCall(String url, String id, long timestamp, String signature, String body) {

    public static SignedCall of(String url, String secret, String id, String body, Instant now) {
        long timestamp = now.getEpochSecond();
        return new SignedCall(url, id, timestamp, new WebhookSignature(secret).sign(id, timestamp, body), body);
    }

    /** Makes the call; throws unless the receiver answered 2xx. */
    @FunctionalInterface
    public interface Sender {
        void send(SignedCall call);
    }
}
