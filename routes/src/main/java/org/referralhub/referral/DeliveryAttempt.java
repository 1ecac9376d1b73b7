package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * One try at handing a referral to its partner. {@code detail} says what went wrong in words that carry
 * no client data (an HTTP status, a timeout, a refused connection).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryAttempt(int number, Instant at, Channel channel, String partnerId, Outcome outcome,
                              Integer responseStatus, long durationMillis, String detail) {

    public enum Outcome {
        DELIVERED, FAILED;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Outcome fromCode(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
