package org.referralhub.intake;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Instant;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.referral.Channel;
import org.referralhub.referral.ReferralIds;

/**
 * Any webhook body, through the webhook's own JSON reader and every agency's mapping, validation and screening: a
 * referral, or a clean refusal (unreadable JSON, field errors) — never another exception, never a hang. Runs its seeds
 * (the sample payloads) in {@code mvn test}; fuzzes for as long as asked with {@code JAZZER_FUZZ=1} (see README).
 */
class WebhookPayloadFuzzTest {

    private static final HubConfiguration CONFIG = Samples.demoConfiguration();
    private static final ReferralIntake INTAKE = new ReferralIntake(CONFIG);
    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

    @FuzzTest(maxDuration = "5m")
    void aWebhookBodyIsMappedOrCleanlyRefused(byte[] body) {
        com.fasterxml.jackson.databind.JsonNode payload;
        try {
            payload = WebhookPayload.read(body);
        } catch (IOException unreadable) {
            return;
        }
        for (Agency agency : CONFIG.agencies()) {
            try {
                var referral = INTAKE.assemble(new ReferralIntake.Receipt(ReferralIds.newId(NOW), agency,
                        Channel.WEBHOOK, agency.webhookMapping(), NOW, "fuzz"), payload);
                // a referral the hub would store: a status, and a partner only when it is to be delivered
                org.assertj.core.api.Assertions.assertThat(referral.status()).isNotNull();
                org.assertj.core.api.Assertions.assertThat(referral.delivery() == null
                        || referral.delivery().state() != org.referralhub.referral.Delivery.State.PENDING
                        || referral.partnerId() != null).isTrue();
            } catch (InvalidReferralException refused) {
                // a clean refusal, with field errors to answer
                org.assertj.core.api.Assertions.assertThat(refused.errors()).isNotEmpty();
            }
        }
    }
}
