package org.referralhub.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real-world messages no one here wrote (SpamScope's mail-parser corpus, {@code corpus/mail/spamscope/}): each is read
 * — sender, subject, a body or its attachments — or refused as unreadable with a reason; never another exception.
 * The counts are README's.
 */
class InboundEmailCorpusTest {

    private static final List<String> MESSAGES = List.of("mail_malformed_2", "mail_malformed_3", "mail_test_3",
            "mail_test_8", "mail_test_9", "mail_test_12", "mail_test_14", "mail_test_16", "mail_test_17", "mail_test_18",
            "mail_test_19");

    @Test
    void everyRealMessageIsReadOrRefusedWithAReason() throws IOException {
        Map<String, String> outcomes = new LinkedHashMap<>();
        List<String> read = new ArrayList<>();
        for (String name : MESSAGES) {
            byte[] raw;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("corpus/mail/spamscope/" + name + ".eml")) {
                raw = in.readAllBytes();
            }
            try {
                InboundEmail email = InboundEmail.parse(raw, 10, 2L * 1024 * 1024);
                assertThat(email.from()).as(name + "'s sender").contains("@");
                assertThat(email.body() != null || !email.attachments().isEmpty()).as(name + " has content").isTrue();
                read.add(name);
                outcomes.put(name, "read: from " + email.from().substring(email.from().indexOf('@')));
            } catch (InboundEmail.UnreadableEmailException unreadable) {
                assertThat(unreadable.getMessage()).as(name + "'s reason").isNotBlank();
                outcomes.put(name, "refused: " + unreadable.getMessage());
            }
        }
        System.out.println("corpus/mail/spamscope: " + outcomes);
        // mail_malformed_3 declares one boundary and delimits its parts with another, and its base64 is damaged:
        // read all the same — every message of the corpus is read
        assertThat(outcomes.get("mail_malformed_3")).startsWith("read");
        assertThat(read).hasSize(MESSAGES.size());
    }
}
