package org.referralhub.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** When two raw messages are the same message for the e-mail channel's idempotency record. */
class MessageKeyTest {

    private static final String MESSAGE = """
            Received: from mail.cics.example by inbound-smtp.amazonaws.com; Mon, 23 Nov 2026 15:10:10 +0000
            Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass header.from=cics.example;
            From: Coach <coach@cics.example>
            Message-ID: <CAB1@mail.cics.example>
            Subject: Referral

            First name: Lina
            Consent: yes
            """.replace("\n", "\r\n");

    private static String key(String raw) {
        return EmailImport.messageKey(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSameMessageDeliveredTwiceWithAnotherReceivedHeaderIsTheSameMessage() {
        String again = MESSAGE.replace("15:10:10", "15:12:44");
        assertThat(key(again)).isEqualTo(key(MESSAGE));
    }

    @Test
    void aForgedCopyOrAnotherBodyUnderTheSameMessageIdIsAnotherMessage() {
        assertThat(key(MESSAGE.replace("dmarc=pass", "dmarc=fail"))).isNotEqualTo(key(MESSAGE));
        assertThat(key(MESSAGE.replace("Lina", "Omar"))).isNotEqualTo(key(MESSAGE));
        assertThat(key(MESSAGE.replace("<CAB1@", "<CAB2@"))).isNotEqualTo(key(MESSAGE));
    }

    @Test
    void withoutAMessageIdTheBytesAreTheMessage() {
        String noId = MESSAGE.replace("Message-ID: <CAB1@mail.cics.example>\r\n", "");
        assertThat(key(noId)).startsWith("sha256:").isEqualTo(key(noId));
        assertThat(key(noId.replace("15:10:10", "15:12:44"))).isNotEqualTo(key(noId));
    }
}
