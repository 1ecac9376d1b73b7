package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hand-over of a referral to its partner: the outbox entry. {@code idempotencyId} is the same on every
 * attempt, so a partner that receives a retry can tell it has seen this referral before.
 *
 * @param replayedAfter attempts made before an administrator replayed the delivery: the attempt budget counts from
 *                      there (null: never replayed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(State state, String idempotencyId, Instant nextAttemptAt, Instant leaseUntil,
                       List<DeliveryAttempt> attempts, Integer replayedAfter) {

    public Delivery {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public Delivery(State state, String idempotencyId, Instant nextAttemptAt, Instant leaseUntil,
                    List<DeliveryAttempt> attempts) {
        this(state, idempotencyId, nextAttemptAt, leaseUntil, attempts, null);
    }

    /** Attempts made since the delivery was last replayed (all of them when it never was). */
    public int attemptsInSeries() {
        return attempts.size() - (replayedAfter == null ? 0 : replayedAfter);
    }

    /** A failed delivery tried again from now, with the same idempotency id and a fresh attempt budget. */
    public Delivery replayed(Instant now) {
        return new Delivery(State.PENDING, idempotencyId, now, null, attempts, attempts.size());
    }

    public static Delivery pending(String idempotencyId, Instant firstAttemptAt) {
        return new Delivery(State.PENDING, idempotencyId, firstAttemptAt, null, List.of());
    }

    public static Delivery withheld() {
        return new Delivery(State.WITHHELD, null, null, null, List.of());
    }

    public boolean isDueAt(Instant now) {
        return state == State.PENDING && nextAttemptAt != null && !nextAttemptAt.isAfter(now)
                && (leaseUntil == null || leaseUntil.isBefore(now));
    }

    public Delivery leasedUntil(Instant until) {
        return new Delivery(state, idempotencyId, nextAttemptAt, until, attempts, replayedAfter);
    }

    public Delivery delivered(DeliveryAttempt attempt) {
        return new Delivery(State.DELIVERED, idempotencyId, null, null, append(attempt), replayedAfter);
    }

    public Delivery retryAt(Instant next, DeliveryAttempt attempt) {
        return new Delivery(State.PENDING, idempotencyId, next, null, append(attempt), replayedAfter);
    }

    public Delivery gaveUp(DeliveryAttempt attempt) {
        return new Delivery(State.FAILED, idempotencyId, null, null, append(attempt), replayedAfter);
    }

    private List<DeliveryAttempt> append(DeliveryAttempt attempt) {
        List<DeliveryAttempt> all = new ArrayList<>(attempts);
        all.add(attempt);
        return all;
    }

    /**
     * pending: waiting for (another) attempt; delivered: the partner took it; failed: attempts exhausted;
     * withheld: never to be sent (not eligible, no consent, no partner).
     */
    public enum State {
        PENDING, DELIVERED, FAILED, WITHHELD;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static State fromCode(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
