package org.referralhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    // The example of the Standard Webhooks specification.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String BODY = "{\"test\": 2432232314}";

    private final WebhookSignature signature = new WebhookSignature(SECRET);

    @Test
    void signsAsTheStandardWebhooksExample() {
        assertThat(signature.sign(ID, TIMESTAMP, BODY)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verifiesWithinToleranceAndAmongRotatedSignatures() {
        Instant now = Instant.ofEpochSecond(TIMESTAMP + 60);
        String valid = signature.sign(ID, TIMESTAMP, BODY);
        assertThat(signature.verify(ID, Long.toString(TIMESTAMP), valid, BODY, now)).isTrue();
        assertThat(signature.verify(ID, Long.toString(TIMESTAMP), "v1,b2xkIHNpZ25hdHVyZQ== " + valid, BODY, now)).isTrue();
    }

    @Test
    void refusesATamperedBodyAnotherIdAStaleTimestampOrAnotherSecret() {
        String valid = signature.sign(ID, TIMESTAMP, BODY);
        Instant now = Instant.ofEpochSecond(TIMESTAMP);
        assertThat(signature.verify(ID, Long.toString(TIMESTAMP), valid, BODY + " ", now)).isFalse();
        assertThat(signature.verify("msg_other", Long.toString(TIMESTAMP), valid, BODY, now)).isFalse();
        assertThat(signature.verify(ID, Long.toString(TIMESTAMP), valid, BODY, now.plusSeconds(301))).isFalse();
        assertThat(new WebhookSignature("whsec_c2Vjb25kIHNlY3JldA==").verify(ID, Long.toString(TIMESTAMP), valid, BODY, now)).isFalse();
        assertThat(signature.verify(ID, "not-a-number", valid, BODY, now)).isFalse();
        assertThat(signature.verify(null, null, null, BODY, now)).isFalse();
    }
}
