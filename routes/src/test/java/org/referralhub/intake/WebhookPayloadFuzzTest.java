package org.referralhub.intake;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.ReferralIds;

/**
 * Any webhook body, through the webhook's own reader (the intake's and the sandbox's) and every agency's mapping,
 * validation and screening: a referral, or a clean refusal (unreadable JSON, field errors) — never another exception,
 * never a hang. Runs its seeds
 * (the sample payloads) in {@code mvn test}; fuzzes for as long as asked with {@code JAZZER_FUZZ=1} (see README).
 */
class WebhookPayloadFuzzTest {

    private static final HubConfiguration CONFIG = Samples.demoConfiguration();
    private static final ReferralIntake INTAKE = new ReferralIntake(CONFIG);
    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

    @FuzzTest(maxDuration = "5m")
    void aWebhookBodyIsMappedOrCleanlyRefused(byte[] body) {
        WebhookReader reader = new WebhookReader(INTAKE);
        for (Agency agency : CONFIG.agencies()) {
            List<ReferralDraft> drafts = new ArrayList<>();
            try {
                reader.read(agency, null, body, new ChannelReader.Found() {
                    @Override
                    public void draft(ChannelReader.Labelled draft) {
                        drafts.add(draft.draft());
                    }

                    @Override
                    public void problem(String problem) {
                        throw new AssertionError("a webhook body is one referral or unreadable, never a problem");
                    }
                });
            } catch (ChannelReader.Unreadable unreadable) {
                // a clean refusal, said without quoting the body
                Assertions.assertThat(unreadable.getMessage()).startsWith("The body");
                return;
            }
            Assertions.assertThat(drafts).hasSize(1);
            try {
                var referral = INTAKE.assemble(new ReferralIntake.Receipt(ReferralIds.newId(NOW), agency,
                        Channel.WEBHOOK, agency.webhookMapping(), NOW, "fuzz"), drafts.get(0));
                // a referral the hub would store: a status, and a partner only when it is to be delivered
                Assertions.assertThat(referral.status()).isNotNull();
                Assertions.assertThat(referral.delivery() == null
                        || referral.delivery().state() != Delivery.State.PENDING
                        || referral.partnerId() != null).isTrue();
            } catch (InvalidReferralException refused) {
                // a clean refusal, with field errors to answer
                Assertions.assertThat(refused.errors()).isNotEmpty();
            }
        }
    }
}
