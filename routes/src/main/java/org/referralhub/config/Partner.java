package org.referralhub.config;

import java.util.List;

/**
 * A service delivery partner and the intake channel it takes referrals on.
 *
 * @param intake      how referrals reach the partner: its webhook, SFTP server or inbox
 * @param languages   ISO 639 codes of languages its staff serve in (informational: routing rules name languages)
 * @param maxAttempts delivery attempts before the hub gives up (null: the hub's {@code delivery.maxAttempts}, if any)
 * @param serviceArea postal-code prefixes (forward sortation areas) it serves; empty: everywhere. A routing rule
 *                    with several partners only offers a referral to one whose area holds the client's postal code
 * @param sectors     occupational sectors it serves ({@link Sectors}); empty: all
 * @param capacity    whether it takes referrals now, and how many a month
 * @param fields      the fields of the partner view its webhook receives ({@code client.email}, ...); empty: every
 *                    field the client's consent shares
 * @param apiKeyHashes SHA-256 digests of its API keys, with which it reports outcomes ({@code rhp_<partner>_…})
 * @param sftp        its login on the hub's SFTP server, where it drops status files in {@code status/}
 * @param retryForHours how long failed deliveries to it are tried again (null: the hub's {@code delivery.retryForHours})
 * @param paused      set when its endpoint answered {@code 410 Gone}: no delivery goes to it and no referral is routed
 *                    to it until an administrator takes this away; null: it takes deliveries
 */
public record Partner(String id, String name, PartnerChannel intake, List<String> languages, Integer maxAttempts,
                      List<String> serviceArea, List<String> sectors, Capacity capacity, List<String> fields,
                      List<String> apiKeyHashes, Agency.SftpAccount sftp, Integer retryForHours, Paused paused) {

    public Partner {
        languages = languages == null ? List.of() : List.copyOf(languages);
        serviceArea = serviceArea == null ? List.of() : List.copyOf(serviceArea);
        sectors = sectors == null ? List.of() : List.copyOf(sectors);
        capacity = capacity == null ? Capacity.OPEN : capacity;
        fields = fields == null ? List.of() : List.copyOf(fields);
        apiKeyHashes = apiKeyHashes == null ? List.of() : List.copyOf(apiKeyHashes);
    }

    public Partner(String id, String name, PartnerChannel intake, List<String> languages, Integer maxAttempts) {
        this(id, name, intake, languages, maxAttempts, null, null, null, null, null, null, null, null);
    }

    /** Whether deliveries to it are paused. */
    public boolean isPaused() {
        return paused != null;
    }

    /** Why and since when deliveries to a partner are paused, and who paused them ({@code hub:dispatch}). */
    public record Paused(String reason, String since, String by) {
    }

    /**
     * @param status       {@code accepting}, {@code waitlist} (takes referrals when no accepting partner can) or
     *                     {@code full} (takes none)
     * @param monthlyQuota referrals it takes per calendar month (UTC); null: no limit
     */
    public record Capacity(String status, Integer monthlyQuota) {
        public static final String ACCEPTING = "accepting";
        public static final String WAITLIST = "waitlist";
        public static final String FULL = "full";
        public static final Capacity OPEN = new Capacity(ACCEPTING, null);

        public Capacity {
            status = status == null ? ACCEPTING : status;
        }
    }
}
