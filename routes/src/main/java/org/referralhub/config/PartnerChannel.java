package org.referralhub.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.referralhub.referral.Channel;

/**
 * How referrals reach a partner: its webhook, its SFTP server, its inbox, or its own FHIR server — each its own record, read from the
 * configuration's {@code intake} by its {@code channel} and checked when the configuration loads. Code that treats
 * the channels apart does so through {@link #match}, so a channel added here is a compile error wherever one is
 * forgotten.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "channel")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PartnerChannel.Webhook.class, name = "webhook"),
        @JsonSubTypes.Type(value = PartnerChannel.Sftp.class, name = "sftp"),
        @JsonSubTypes.Type(value = PartnerChannel.Email.class, name = "email"),
        @JsonSubTypes.Type(value = PartnerChannel.Fhir.class, name = "fhir")})
public sealed interface PartnerChannel {

    /** The channels partners take referrals on, as a delivery records them. */
    List<Channel> KINDS = List.of(Channel.WEBHOOK, Channel.SFTP, Channel.EMAIL, Channel.FHIR);

    /** This channel's kind, as the referral's delivery attempts record it. */
    @JsonIgnore
    Channel kind();

    /** One answer per channel, chosen by this channel's kind. */
    <R> R match(Function<Webhook, R> webhook, Function<Sftp, R> sftp, Function<Email, R> email, Function<Fhir, R> fhir);

    /** The batch window in seconds, or null when referrals go one by one (a webhook takes them one by one). */
    @JsonIgnore
    default Integer batchWindowSeconds() {
        return match(w -> null, Sftp::batchEverySeconds, Email::batchEverySeconds, f -> null);
    }

    /** Whether referrals wait for a window and go together (a file, a digest) rather than one by one. */
    @JsonIgnore
    default boolean isBatched() {
        return batchWindowSeconds() != null && batchWindowSeconds() > 0;
    }

    /** What keeps this channel from delivering, in the administrator's words; empty when it can. */
    List<String> problems(String partnerId);

    /**
     * The kind a configuration tree's {@code intake} names, if it names one this hub delivers to: for checks made
     * on a tree before it is read (an administrator's change).
     */
    static Optional<Channel> kindOf(JsonNode intake) {
        String code = intake == null ? null : intake.path("channel").asText(null);
        return KINDS.stream().filter(k -> k.code().equals(code)).findFirst();
    }

    /** The reason a configuration tree's {@code intake} cannot be read as a channel, or empty when it can. */
    static Optional<String> unreadable(String partnerId, JsonNode intake) {
        if (intake == null || intake.isNull() || intake.isMissingNode() || !intake.hasNonNull("channel")) {
            return Optional.of("partner '" + partnerId + "' has no intake channel");
        }
        if (kindOf(intake).isEmpty()) {
            return Optional.of("partner '" + partnerId + "' uses intake channel '" + intake.path("channel").asText()
                    + "', which this hub does not deliver to");
        }
        return Optional.empty();
    }

    /** A channel that carries referrals as a table: the partner's own columns, in a CSV or JSON file. */
    interface Tabular {
        /** {@code csv} or {@code json}. */
        String format();

        /** The partner's own columns, in order; empty for the hub's default columns (or, in JSON, the whole view). */
        List<Column> columns();

        /** The file name's extension. */
        default String extension() {
            return "json".equals(format()) ? "json" : "csv";
        }
    }

    /** One column of a partner file: its header, and the field of the partner's view of a referral it holds. */
    record Column(String header, String field) {

        static List<String> problems(String partnerId, List<Column> columns) {
            return columns.stream().filter(c -> c.header() == null || c.field() == null)
                    .map(c -> "partner '" + partnerId + "' has a column without header or field").toList();
        }
    }

    /**
     * A partner's webhook: each referral is posted, signed in the Standard Webhooks style.
     *
     * @param url           the partner's URL
     * @param signingSecret Standard Webhooks secret, {@code whsec_} followed by base64
     */
    record Webhook(String url, String signingSecret) implements PartnerChannel {

        @Override
        public Channel kind() {
            return Channel.WEBHOOK;
        }

        @Override
        public <R> R match(Function<Webhook, R> webhook, Function<Sftp, R> sftp, Function<Email, R> email,
                           Function<Fhir, R> fhir) {
            return webhook.apply(this);
        }

        @Override
        public List<String> problems(String partnerId) {
            List<String> problems = new ArrayList<>();
            WebhookAddress.problem(url).ifPresent(problem ->
                    problems.add("partner '" + partnerId + "' has a webhook intake with " + problem));
            if (signingSecret == null || !signingSecret.startsWith("whsec_")) {
                problems.add("partner '" + partnerId + "' has a webhook intake without a whsec_ signing secret");
            }
            return problems;
        }
    }

    /**
     * A partner's SFTP server: one file per referral, or one per batch window.
     *
     * @param host              the partner's server
     * @param port              its port (22 when absent)
     * @param username          the hub's login there
     * @param directory         where files go (relative to the login's home)
     * @param privateKeyRef     name of the hub's private key in the secret store (never the key itself)
     * @param knownHosts        the server's host key(s), OpenSSH known_hosts lines; the connection is refused when
     *                          the server shows another key
     * @param format            {@code csv} or {@code json}
     * @param columns           the partner's own column names and order, each naming a field of what partners
     *                          receive ({@code referralId}, {@code client.firstName}, ...)
     * @param batchEverySeconds null for one file per referral as soon as it is routed; otherwise referrals wait for
     *                          the next window and go together in one file
     */
    record Sftp(String host, Integer port, String username, String directory, String privateKeyRef,
                String knownHosts, String format, List<Column> columns, Integer batchEverySeconds)
            implements PartnerChannel, Tabular {

        private static final String HOST = "[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]";

        public Sftp {
            columns = columns == null ? List.of() : List.copyOf(columns);
        }

        @Override
        public Channel kind() {
            return Channel.SFTP;
        }

        @Override
        public <R> R match(Function<Webhook, R> webhook, Function<Sftp, R> sftp, Function<Email, R> email,
                           Function<Fhir, R> fhir) {
            return sftp.apply(this);
        }

        /** The port to connect to. */
        @JsonIgnore
        public int portOrDefault() {
            return port == null ? 22 : port;
        }

        @Override
        public List<String> problems(String partnerId) {
            List<String> problems = new ArrayList<>();
            for (String[] required : new String[][]{{"host", host}, {"username", username},
                    {"privateKeyRef", privateKeyRef}, {"knownHosts", knownHosts}}) {
                if (required[1] == null || required[1].isBlank()) {
                    problems.add("partner '" + partnerId + "' has an SFTP intake without " + required[0]);
                }
            }
            // the delivery route builds an SFTP endpoint from these three: each must be a plain name, so none can
            // carry an endpoint option, a placeholder or a path out of the partner's folder
            if (host != null && !host.isBlank() && !host.matches(HOST)) {
                problems.add("partner '" + partnerId + "' has an SFTP host that is not a host name or IP address");
            }
            if (username != null && !username.isBlank() && !username.matches("[A-Za-z0-9._@+-]+")) {
                problems.add("partner '" + partnerId + "' has an SFTP username with other characters than letters, digits"
                        + " and . _ @ + -");
            }
            if (directory != null && !directory.isBlank() && (!directory.matches("/?[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/?")
                    || directory.matches("(.*/)?\\.\\.(/.*)?"))) {
                problems.add("partner '" + partnerId + "' has an SFTP directory that is not a plain folder path (letters,"
                        + " digits, . _ ~ - and /, no ..)");
            }
            if (format != null && !format.matches("csv|json")) {
                problems.add("partner '" + partnerId + "' asks for file format '" + format + "'; csv and json are offered");
            }
            problems.addAll(Column.problems(partnerId, columns));
            return problems;
        }
    }

    /**
     * A partner's inbox: one message per referral, or one digest per batch window.
     *
     * @param address           the partner's intake inbox
     * @param subject           subject template; {@code ${field}} names a field of the partner view
     *                          ({@code ${referralId}}, {@code ${client.firstName}}, {@code ${count}} in a digest)
     * @param body              body template, same placeholders; a digest repeats it per referral
     * @param attachCsv         attach the referrals as a CSV in the partner's columns
     * @param columns           the attachment's columns (the hub's default columns when empty)
     * @param batchEverySeconds null for one message per referral; otherwise one digest per window
     */
    record Email(String address, String subject, String body, Boolean attachCsv, List<Column> columns,
                 Integer batchEverySeconds) implements PartnerChannel, Tabular {

        public Email {
            columns = columns == null ? List.of() : List.copyOf(columns);
        }

        @Override
        public Channel kind() {
            return Channel.EMAIL;
        }

        @Override
        public <R> R match(Function<Webhook, R> webhook, Function<Sftp, R> sftp, Function<Email, R> email,
                           Function<Fhir, R> fhir) {
            return email.apply(this);
        }

        /** An inbox's attachment is always CSV. */
        @Override
        @JsonIgnore
        public String format() {
            return "csv";
        }

        @Override
        public List<String> problems(String partnerId) {
            List<String> problems = new ArrayList<>();
            if (address == null || !address.matches("[^@\\s]+@[^@\\s]+")) {
                problems.add("partner '" + partnerId + "' has an e-mail intake without an address");
            }
            problems.addAll(Column.problems(partnerId, columns));
            return problems;
        }
    }

    /**
     * A partner's own FHIR R4 server: each referral is created there as a Task (SDOH Clinical Care's
     * TaskForReferralManagement, its ServiceRequest and client contained), by a conditional create on the hub's
     * identifier for the referral, so a retried delivery never makes a second Task. The partner moves the Task through
     * the hub's FHIR door, as a polling partner does.
     *
     * @param baseUrl  the server's FHIR base, e.g. {@code https://fhir.partner.example/r4}: checked as a webhook URL is
     * @param tokenRef name in the secret store of the bearer token the hub sends (none when absent)
     */
    record Fhir(String baseUrl, String tokenRef) implements PartnerChannel {

        @Override
        public Channel kind() {
            return Channel.FHIR;
        }

        @Override
        public <R> R match(Function<Webhook, R> webhook, Function<Sftp, R> sftp, Function<Email, R> email,
                           Function<Fhir, R> fhir) {
            return fhir.apply(this);
        }

        /** Where a Task is created: the base's {@code Task} type. */
        @JsonIgnore
        public String taskUrl() {
            return (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl) + "/Task";
        }

        @Override
        public List<String> problems(String partnerId) {
            List<String> problems = new ArrayList<>();
            WebhookAddress.problem(baseUrl).ifPresent(problem ->
                    problems.add("partner '" + partnerId + "' has a FHIR intake with " + problem));
            if (baseUrl != null && (baseUrl.contains("?") || baseUrl.contains("#"))) {
                problems.add("partner '" + partnerId + "' has a FHIR base URL with a query or fragment: give the base alone");
            }
            if (tokenRef != null && !tokenRef.matches("[A-Za-z0-9/_+=.@-]{1,256}")) {
                problems.add("partner '" + partnerId + "' names its FHIR token with other characters than a secret's name has");
            }
            return problems;
        }
    }
}
