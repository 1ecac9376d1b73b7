package org.referralhub.config;

import java.util.List;

/**
 * A service delivery partner and the intake channel it takes referrals on.
 *
 * @param intake      how referrals reach the partner
 * @param languages   ISO 639 codes of languages its staff serve in (informational: routing rules name languages)
 * @param maxAttempts delivery attempts before the hub gives up (null: the hub default)
 * @param serviceArea postal-code prefixes (forward sortation areas) it serves; empty: everywhere. A routing rule
 *                    with several partners only offers a referral to one whose area holds the client's postal code
 * @param sectors     occupational sectors it serves ({@link Sectors}); empty: all
 * @param capacity    whether it takes referrals now, and how many a month
 * @param fields      the fields of the partner view its webhook receives ({@code client.email}, ...); empty: every
 *                    field the client's consent shares
 * @param apiKeyHashes SHA-256 digests of its API keys, with which it reports outcomes ({@code rhp_<partner>_…})
 * @param sftp        its login on the hub's SFTP server, where it drops status files in {@code status/}
 */
public record Partner(String id, String name, Intake intake, List<String> languages, Integer maxAttempts,
                      List<String> serviceArea, List<String> sectors, Capacity capacity, List<String> fields,
                      List<String> apiKeyHashes, Agency.SftpAccount sftp) {

    public Partner {
        languages = languages == null ? List.of() : List.copyOf(languages);
        serviceArea = serviceArea == null ? List.of() : List.copyOf(serviceArea);
        sectors = sectors == null ? List.of() : List.copyOf(sectors);
        capacity = capacity == null ? Capacity.OPEN : capacity;
        fields = fields == null ? List.of() : List.copyOf(fields);
        apiKeyHashes = apiKeyHashes == null ? List.of() : List.copyOf(apiKeyHashes);
    }

    public Partner(String id, String name, Intake intake, List<String> languages, Integer maxAttempts) {
        this(id, name, intake, languages, maxAttempts, null, null, null, null, null, null);
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

    /**
     * The partner's intake channel.
     *
     * @param channel           {@code webhook}, {@code sftp} or {@code email}
     * @param url               webhook: the partner's URL
     * @param signingSecret     webhook: Standard Webhooks secret, {@code whsec_} followed by base64
     * @param host              sftp: the partner's server
     * @param port              sftp: its port (22 when absent)
     * @param username          sftp: the hub's login there
     * @param directory         sftp: where files go (relative to the login's home)
     * @param privateKeyRef     sftp: name of the hub's private key in the secret store (never the key itself)
     * @param knownHosts        sftp: the server's host key(s), OpenSSH known_hosts lines; the connection is refused
     *                          when the server shows another key
     * @param format            sftp: {@code csv} or {@code json}
     * @param columns           sftp: the partner's own column names and order, each naming a field of what partners
     *                          receive ({@code referralId}, {@code client.firstName}, ...)
     * @param batchEverySeconds sftp, email: null for one file or message per referral as soon as it is routed;
     *                          otherwise referrals wait for the next window and go together (a file, a digest)
     * @param address           email: the partner's intake inbox
     * @param subject           email: subject template; {@code ${field}} names a field of the partner view
     *                          ({@code ${referralId}}, {@code ${client.firstName}}, {@code ${count}} in a digest)
     * @param body              email: body template, same placeholders; a digest repeats it per referral
     * @param attachCsv         email: attach the referrals as a CSV in the partner's columns
     */
    public record Intake(String channel, String url, String signingSecret, String host, Integer port,
                         String username, String directory, String privateKeyRef, String knownHosts, String format,
                         List<Column> columns, Integer batchEverySeconds, String address, String subject,
                         String body, Boolean attachCsv) {

        public Intake {
            columns = columns == null ? List.of() : List.copyOf(columns);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isBatched() {
            return batchEverySeconds != null && batchEverySeconds > 0;
        }
    }

    /** One column of a partner file: its header, and the field of the partner's view of a referral it holds. */
    public record Column(String header, String field) {
    }
}
