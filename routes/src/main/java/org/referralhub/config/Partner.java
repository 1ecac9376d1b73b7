package org.referralhub.config;

import java.util.List;

/**
 * A service delivery partner and the intake channel it takes referrals on.
 *
 * @param intake       how referrals reach the partner
 * @param languages    ISO 639 codes of languages its staff serve in (informational for routing rules)
 * @param maxAttempts  delivery attempts before the hub gives up (null: the hub default)
 */
public record Partner(String id, String name, Intake intake, List<String> languages, Integer maxAttempts) {

    public Partner {
        languages = languages == null ? List.of() : List.copyOf(languages);
    }

    /**
     * @param channel       webhook (this issue); sftp and email arrive with their channels
     * @param url           the partner's webhook URL
     * @param signingSecret Standard Webhooks secret, {@code whsec_} followed by base64
     */
    public record Intake(String channel, String url, String signingSecret) {
    }
}
