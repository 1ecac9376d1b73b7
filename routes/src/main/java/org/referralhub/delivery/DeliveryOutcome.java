package org.referralhub.delivery;

import java.time.Duration;
import java.time.Instant;
import org.referralhub.config.Partner;
import org.referralhub.referral.Channel;

/**
 * What became of one attempt to hand a referral to its partner, as its channel's route saw it: recorded on the
 * referral by the {@link DeliveryLedger}, the attempts of a whole dispatch in one write.
 */
public sealed interface DeliveryOutcome {

    String referralId();

    Partner partner();

    Channel channel();

    /** When the attempt began. */
    Instant startedAt();

    /** The partner took it. @param detail what was handed over, e.g. the file a referral went in (or null) */
    record Delivered(String referralId, Partner partner, Channel channel, Instant startedAt, Integer responseStatus,
                     String detail) implements DeliveryOutcome {
    }

    /**
     * The attempt failed. @param detail what went wrong, in words that never carry client data
     * @param retryAfter the partner's {@code Retry-After}, if it gave one (or null)
     */
    record Failed(String referralId, Partner partner, Channel channel, Instant startedAt, Integer responseStatus,
                  String detail, Duration retryAfter) implements DeliveryOutcome {
    }
}
