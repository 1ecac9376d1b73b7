package org.referralhub.email;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.ReferralIntake;

/**
 * Any raw message, through the MIME reader (headers, encodings, multipart, attachments, HTML to text), the repeat key
 * and the form reader of an agency's label mapping: read, or refused as unreadable — never another exception.
 */
class InboundEmailFuzzTest {

    private static final HubConfiguration CONFIG = Samples.demoConfiguration();
    private static final ReferralIntake INTAKE = new ReferralIntake(CONFIG);
    private static final Agency AGENCY = CONFIG.agency("cics").orElseThrow();

    @FuzzTest(maxDuration = "5m")
    void aMessageIsReadOrCleanlyRefused(byte[] raw) {
        // a repeat of the message must find the same key
        Assertions.assertThat(EmailImport.messageKey(raw)).isEqualTo(EmailImport.messageKey(raw.clone()))
                .matches(k -> k.startsWith("message-id:") || k.startsWith("sha256:"));
        InboundEmail email;
        try {
            email = InboundEmail.parse(raw, 10, 2L * 1024 * 1024);
        } catch (InboundEmail.UnreadableEmailException unreadable) {
            return;
        }
        email.from();
        email.senderUnproven();
        List<String> found = new ArrayList<>();
        new MessageReader(INTAKE, 10).read(AGENCY, email, new ChannelReader.Found() {
            @Override
            public void draft(ChannelReader.Labelled draft) {
                found.add(draft.where());
            }

            @Override
            public void problem(String problem) {
                found.add(problem);
            }
        });
    }
}
