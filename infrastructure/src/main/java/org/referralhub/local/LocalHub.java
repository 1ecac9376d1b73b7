package org.referralhub.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.referralhub.config.ApiKeys;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.Partner;
import org.referralhub.config.PartnerChannel;
import org.referralhub.delivery.DirectorySecretStore;
import org.referralhub.files.DirectoryFileDropStore;
import org.referralhub.functions.AdminApiFunction;
import org.referralhub.functions.DispatchStreamFunction;
import org.referralhub.functions.DispatchSweepFunction;
import org.referralhub.functions.EmailIntakeFunction;
import org.referralhub.functions.FileIntakeFunction;
import org.referralhub.functions.FilePullFunction;
import org.referralhub.functions.MailboxPullFunction;
import org.referralhub.functions.ReferralApiFunction;
import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;
import org.referralhub.store.ReferralTableDefinition;
import org.referralhub.store.StoredConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The whole hub on one machine, in one JVM: DynamoDB Local, the HTTP gateway, the dispatcher fed by the table's
 * stream and by its schedule, and sandbox partners, all running the same Lambda handlers AWS runs.
 */
public final class LocalHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalHub.class);
    /** Where agencies send referral e-mail on the local hub. */
    public static final String HUB_ADDRESS = "referrals@hub.localhost";

    /**
     * How to run the local hub. Port 0 picks a free port. A null data directory keeps everything in memory and in a
     * temporary archive.
     */
    public record Options(int httpPort, int dynamoPort, int sftpPort, int smtpPort, int imapPort, Path dataDirectory,
                          String tableName,
                          String configLocation, long streamPollMillis, long sweepMillis, long pullMillis, Clock clock,
                          String dynamoEndpointForHub) {

        public static Options defaults() {
            return new Options(8080, 8000, 2222, 2525, 3143, Path.of("data"), "referrals", null, 250, 5000, 15000, Clock.systemUTC(), null);
        }

        /**
         * Reads HUB_PORT, HUB_DYNAMODB_PORT, HUB_SFTP_PORT, HUB_SMTP_PORT, HUB_IMAP_PORT, HUB_DATA_DIR and HUB_CONFIG;
         * HUB_SWEEP_MILLIS and HUB_PULL_MILLIS set how often the delivery sweep and the file schedule run.
         */
        public static Options fromEnvironment() {
            Options d = defaults();
            return new Options(
                    intEnv("HUB_PORT", d.httpPort()), intEnv("HUB_DYNAMODB_PORT", d.dynamoPort()),
                    intEnv("HUB_SFTP_PORT", d.sftpPort()), intEnv("HUB_SMTP_PORT", d.smtpPort()),
                    intEnv("HUB_IMAP_PORT", d.imapPort()),
                    Path.of(env("HUB_DATA_DIR", d.dataDirectory().toString())), d.tableName(),
                    System.getenv(HubSettings.HUB_CONFIG), d.streamPollMillis(), longEnv("HUB_SWEEP_MILLIS", d.sweepMillis()),
                    longEnv("HUB_PULL_MILLIS", d.pullMillis()), d.clock(), null);
        }

        /** Every port at once; 0 picks a free one. */
        public Options withPorts(int http, int dynamo, int sftp) {
            return new Options(http, dynamo, sftp, 0, 0, dataDirectory, tableName, configLocation, streamPollMillis, sweepMillis, pullMillis, clock, dynamoEndpointForHub);
        }

        public Options withDataDirectory(Path directory) {
            return new Options(httpPort, dynamoPort, sftpPort, smtpPort, imapPort, directory, tableName, configLocation, streamPollMillis, sweepMillis, pullMillis, clock, dynamoEndpointForHub);
        }

        public Options withTableName(String name) {
            return new Options(httpPort, dynamoPort, sftpPort, smtpPort, imapPort, dataDirectory, name, configLocation, streamPollMillis, sweepMillis, pullMillis, clock, dynamoEndpointForHub);
        }

        public Options withConfigLocation(String location) {
            return new Options(httpPort, dynamoPort, sftpPort, smtpPort, imapPort, dataDirectory, tableName, location, streamPollMillis, sweepMillis, pullMillis, clock, dynamoEndpointForHub);
        }

        /** The hub's clock (tests move it to see what days of waiting do). */
        public Options withClock(Clock newClock) {
            return new Options(httpPort, dynamoPort, sftpPort, smtpPort, imapPort, dataDirectory, tableName, configLocation, streamPollMillis, sweepMillis, pullMillis, newClock, dynamoEndpointForHub);
        }

        /**
         * The hub's DynamoDB calls go to this endpoint instead of DynamoDB Local's own (the fault-injection tests put
         * a proxy there that throttles or fails a share of the calls); the stream feed still reads DynamoDB Local.
         */
        public Options withDynamoEndpointForHub(String endpoint) {
            return new Options(httpPort, dynamoPort, sftpPort, smtpPort, imapPort, dataDirectory, tableName, configLocation, streamPollMillis, sweepMillis, pullMillis, clock, endpoint);
        }

        public Options withSweepMillis(long millis) {
            return new Options(httpPort, dynamoPort, sftpPort, smtpPort, imapPort, dataDirectory, tableName, configLocation, streamPollMillis, millis, pullMillis, clock, dynamoEndpointForHub);
        }

        public Options withPullMillis(long millis) {
            return new Options(httpPort, dynamoPort, sftpPort, smtpPort, imapPort, dataDirectory, tableName, configLocation, streamPollMillis, sweepMillis, millis, clock, dynamoEndpointForHub);
        }

        private static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }

        private static long longEnv(String name, long fallback) {
            return Long.parseLong(env(name, Long.toString(fallback)));
        }

        private static int intEnv(String name, int fallback) {
            return Integer.parseInt(env(name, Integer.toString(fallback)));
        }
    }

    /** Raw payloads are kept 25 months: the default retention of a closed referral and a month of grace. */
    static final Duration ARCHIVE_RETENTION = Duration.ofDays(760);
    /** Mail left in the mail drop (too large to take, or left by a failure): the mail bucket's lifecycle rule. */
    static final Duration MAIL_DROP_RETENTION = Duration.ofDays(30);

    private final DynamoDbLocalServer dynamo;
    private final Hub hub;
    private final DynamoDbStreamsClient streams;
    private final StreamFeed feed;
    private final ScheduledExecutorService schedule;
    private final HttpGateway gateway;
    private final LocalSftpServer sftp;
    private final LocalMailServer mail;
    private final SandboxPartners sandbox;
    private final String baseUrl;
    private final Path dataDirectory;

    private LocalHub(DynamoDbLocalServer dynamo, Hub hub, DynamoDbStreamsClient streams, StreamFeed feed,
                     ScheduledExecutorService schedule, HttpGateway gateway, LocalSftpServer sftp,
                     LocalMailServer mail, SandboxPartners sandbox, String baseUrl, Path dataDirectory) {
        this.dynamo = dynamo;
        this.hub = hub;
        this.streams = streams;
        this.feed = feed;
        this.schedule = schedule;
        this.gateway = gateway;
        this.sftp = sftp;
        this.mail = mail;
        this.sandbox = sandbox;
        this.baseUrl = baseUrl;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts the local hub. Ports chosen here (0) are free when chosen but can be taken by another process before
     * the server binds them: such a start is undone and tried again with new ports, twice at most.
     */
    public static LocalHub start(Options options) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(options);
            } catch (RuntimeException | IOException e) {
                if (attempt == 3 || !portTaken(e)) {
                    throw e;
                }
                LOG.warn("a port was taken meanwhile; starting again with other ports");
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Could not start mail server")) {
                return true;
            }
        }
        return false;
    }

    private static LocalHub startOnce(Options options) throws IOException {
        int httpPort = options.httpPort() == 0 ? freePort() : options.httpPort();
        int dynamoPort = options.dynamoPort() == 0 ? freePort() : options.dynamoPort();
        Path data = options.dataDirectory() == null ? Files.createTempDirectory("referral-hub-")
                : options.dataDirectory().toAbsolutePath();
        ownerOnly(data);
        String bind = bindAddress();
        Path tableData = options.dataDirectory() == null ? null : data.resolve("dynamodb");
        AwsBasicCredentials tableCredentials = DynamoDbLocalServer.perInstall(
                new DirectorySecretStore(data.resolve("keys")), tableData);
        DynamoDbLocalServer dynamo = DynamoDbLocalServer.start(bind, dynamoPort, tableData, tableCredentials);
        String baseUrl = "http://localhost:" + httpPort;
        int sftpPort = options.sftpPort() == 0 ? freePort() : options.sftpPort();
        Path hostKey = data.resolve("ssh_host_key");
        int smtpPort = options.smtpPort() == 0 ? freePort() : options.smtpPort();
        int imapPort = options.imapPort() == 0 ? freePort() : options.imapPort();
        Map<String, String> placeholders = Map.of(
                "sandboxSftpHost", "127.0.0.1",
                "sandboxSftpPort", Integer.toString(sftpPort),
                "sandboxSftpKnownHosts", knownHostsLine(hostKey, sftpPort),
                "sandboxImapHost", "127.0.0.1",
                "sandboxImapPort", Integer.toString(imapPort),
                "sandboxImapSsl", "false");
        Map<String, String> settings = new HashMap<>();
        settings.put(HubSettings.REFERRALS_TABLE, options.tableName());
        settings.put(HubSettings.ARCHIVE_DIR, data.resolve("archive").toString());
        settings.put(HubSettings.FILE_DROP_DIR, data.resolve("sftp").toString());
        settings.put(HubSettings.KEY_STORE_DIR, data.resolve("keys").toString());
        settings.put(HubSettings.MAIL_DROP_DIR, data.resolve("mail").toString());
        settings.put(HubSettings.HUB_EMAIL_ADDRESS, HUB_ADDRESS);
        settings.put(HubSettings.SMTP_HOST, "127.0.0.1");
        settings.put(HubSettings.SMTP_PORT, Integer.toString(smtpPort));
        settings.put(HubSettings.AWS_ENDPOINT_URL, options.dynamoEndpointForHub() != null
                ? options.dynamoEndpointForHub() : dynamo.endpoint());
        settings.put(HubSettings.AWS_REGION, "ca-central-1");
        settings.put(HubSettings.ENDPOINT_CREDENTIALS, tableCredentials.accessKeyId() + ":"
                + tableCredentials.secretAccessKey());
        settings.put(HubSettings.HUB_BASE_URL, baseUrl);
        Optional.ofNullable(System.getenv(HubSettings.INTAKE_LEASE_SECONDS))
                .ifPresent(v -> settings.put(HubSettings.INTAKE_LEASE_SECONDS, v));
        if (options.configLocation() != null) {
            settings.put(HubSettings.HUB_CONFIG, options.configLocation());
        }
        Hub hub = null;
        // what this start has set running, undone in reverse if a later step fails
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            ReferralTableDefinition.ensureExists(URI.create(dynamo.endpoint()),
                    StaticCredentialsProvider.create(tableCredentials), options.tableName());
            DirectorySecretStore localKeys = new DirectorySecretStore(data.resolve("keys"));
            if (!localKeys.has("status-link-key")) {
                byte[] linkKey = new byte[32];
                new SecureRandom().nextBytes(linkKey);
                localKeys.put("status-link-key", linkKey);
            }
            makeMissingSigningSecrets(settings.getOrDefault(HubSettings.HUB_CONFIG, HubSettings.DEFAULT_CONFIG), localKeys);
            hub = Hub.start(HubSettings.of(settings), options.clock(), placeholders);
            String streamArn = hub.dynamo().describeTable(r -> r.tableName(options.tableName())).table().latestStreamArn();
            DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
                    .endpointOverride(URI.create(dynamo.endpoint()))
                    .region(Region.CA_CENTRAL_1)
                    .credentialsProvider(StaticCredentialsProvider.create(tableCredentials))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
            started.push(streams);
            StreamFeed feed = new StreamFeed(streams, streamArn, new DispatchStreamFunction(hub))
                    .start(options.streamPollMillis());
            started.push(feed);
            DispatchSweepFunction sweep = new DispatchSweepFunction(hub);
            ScheduledExecutorService schedule = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "local-dispatch-schedule");
                t.setDaemon(true);
                return t;
            });
            started.push(schedule::shutdownNow);
            schedule.scheduleWithFixedDelay(() -> {
                try {
                    sweep.handleRequest(new ScheduledEvent(), new LocalLambdaContext("dispatch-sweep"));
                } catch (RuntimeException e) {
                    LOG.warn("dispatch sweep failed: {}", e.getClass().getSimpleName());
                }
            }, options.sweepMillis(), options.sweepMillis(), TimeUnit.MILLISECONDS);
            FilePullFunction pull = new FilePullFunction(hub);
            schedule.scheduleWithFixedDelay(() -> {
                try {
                    pull.handleRequest(new ScheduledEvent(), new LocalLambdaContext("file-pull"));
                } catch (RuntimeException e) {
                    LOG.warn("file pull failed: {}", e.getClass().getSimpleName());
                }
            }, options.pullMillis(), options.pullMillis(), TimeUnit.MILLISECONDS);
            Hub running = hub;
            SandboxPartners sandbox = new SandboxPartners(() -> running.services().config(), options.clock());
            LocalSftpServer sftp = new LocalSftpServer(bind, sftpPort, data.resolve("sftp"), hostKey,
                    () -> running.services().config(), new FileIntakeFunction(hub),
                    partnerAccounts(hub, new DirectorySecretStore(data.resolve("keys")), data.resolve("sftp")),
                    hub.services().attempts()).start();
            started.push(sftp);
            LocalMailServer mail = new LocalMailServer(bind, smtpPort, imapPort, HUB_ADDRESS,
                    new DirectoryFileDropStore(data.resolve("mail")), new EmailIntakeFunction(hub));
            started.push(mail);
            // agencies whose mailbox this mail server holds: the mailbox exists, and the hub knows its password
            DirectorySecretStore keys = new DirectorySecretStore(data.resolve("keys"));
            for (var agency : hub.services().config().agencies()) {
                var box = agency.mailbox();
                if (box != null && "127.0.0.1".equals(box.host())) {
                    if (!keys.has(box.passwordRef())) {
                        keys.put(box.passwordRef(), ApiKeys.generate("imap").getBytes(StandardCharsets.UTF_8));
                    }
                    mail.mailbox(box.username(), new String(keys.get(box.passwordRef()), StandardCharsets.UTF_8));
                }
            }
            LocalRetentionSweep retention = new LocalRetentionSweep(hub.dynamo(), options.tableName(),
                    Map.of(data.resolve("archive"), ARCHIVE_RETENTION, data.resolve("mail"), MAIL_DROP_RETENTION),
                    options.clock());
            schedule.scheduleWithFixedDelay(() -> {
                try {
                    retention.run();
                } catch (RuntimeException e) {
                    LOG.warn("retention sweep failed: {}", e.getClass().getSimpleName());
                }
            }, 1, 60, TimeUnit.MINUTES);
            MailboxPullFunction mailboxes = new MailboxPullFunction(hub);
            schedule.scheduleWithFixedDelay(() -> {
                try {
                    mailboxes.handleRequest(new ScheduledEvent(), new LocalLambdaContext("mailbox-pull"));
                } catch (RuntimeException e) {
                    LOG.warn("mailbox pull failed: {}", e.getClass().getSimpleName());
                }
            }, options.pullMillis(), options.pullMillis(), TimeUnit.MILLISECONDS);
            Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions = new LinkedHashMap<>();
            ReferralApiFunction api = new ReferralApiFunction(hub);
            AdminApiFunction admin = new AdminApiFunction(hub);
            ReferralApiFunction.ROUTES.keySet().forEach(k -> functions.put(k, api));
            AdminApiFunction.ROUTES.keySet().forEach(k -> functions.put(k, admin));
            HttpGateway gateway = new HttpGateway(bind, httpPort, functions, sandbox).start();
            ownerOnly(data);   // the folders the servers made, and DynamoDB Local's file, now that they exist
            return new LocalHub(dynamo, hub, streams, feed, schedule, gateway, sftp, mail, sandbox, baseUrl, data);
        } catch (RuntimeException | IOException e) {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception ignored) {
                    // undoing as much as can be undone
                }
            }
            if (hub != null) {
                hub.close();
            }
            dynamo.close();
            throw e;
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Holds the dispatcher's stream feed, as disabling the event source mapping does in AWS: new referrals wait in
     * the stream until {@link #releaseDispatchFeed released} (a backlog to drain, for the dispatch benchmark).
     */
    public void holdDispatchFeed() {
        feed.hold();
    }

    public void releaseDispatchFeed() {
        feed.release();
    }

    public Hub hub() {
        return hub;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public int sftpPort() {
        return sftp.port();
    }

    /** DynamoDB Local, for tools that read the table (with {@link DynamoDbLocalServer#credentials()}). */
    public DynamoDbLocalServer dynamoDbLocal() {
        return dynamo;
    }

    public int smtpPort() {
        return mail.smtpPort();
    }

    public int imapPort() {
        return mail.imapPort();
    }

    /** Whether the local mail server holds a mailbox for this address (mail was delivered to it). */
    boolean greenMailHas(String address) {
        return mail.greenMail().getUserManager().getUserByEmail(address) != null;
    }

    /** Messages the local mail server received for this address, oldest first. */
    List<MimeMessage> mailTo(String address) {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : mail.greenMail().getReceivedMessages()) {
            try {
                Address[] to = m.getRecipients(Message.RecipientType.TO);
                if (to != null && Arrays.stream(to).anyMatch(a -> a.toString().contains(address))) {
                    out.add(m);
                }
            } catch (MessagingException e) {
                // a message without readable recipients is no one's
            }
        }
        return out;
    }

    /** Renames made on the local SFTP server, as {@code user:from->to}. */
    List<String> sftpRenames() {
        return sftp.renames();
    }

    /** Fault injection: the local SFTP server cuts the next {@code count} uploads of {@code user} after a chunk. */
    void dropNextSftpUploads(String user, int count) {
        sftp.dropNextUploads(user, count);
    }

    int droppedSftpUploads() {
        return sftp.droppedUploads();
    }

    /** The home directory of an SFTP user on the local server. */
    public Path sftpHome(String username) {
        return dataDirectory.resolve("sftp").resolve(username);
    }

    /** Demo API keys by agency id, from the packaged demo credentials. */
    public static Map<String, String> demoKeys() {
        return demoCredentials("agencyKeys");
    }

    /** The demo partners' API keys, with which they report outcomes, by partner id. */
    public static Map<String, String> demoPartnerKeys() {
        return demoCredentials("partnerKeys");
    }

    /** The demo administrator's bearer token, from the packaged demo credentials. */
    public static String demoAdminToken() {
        return demoCredentials("adminTokens").get("program-admin");
    }

    /** Demo SFTP passwords by username, from the packaged demo credentials. */
    public static Map<String, String> demoSftpPasswords() {
        return demoCredentials("sftpPasswords");
    }

    private static Map<String, String> demoCredentials(String section) {
        try (InputStream in = LocalHub.class.getClassLoader().getResourceAsStream("demo-credentials.yaml")) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            Map<String, String> values = new LinkedHashMap<>();
            root.path(section).fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo credentials", e);
        }
    }

    String banner(String dynamoEndpoint) {
        StringBuilder b = new StringBuilder();
        b.append("\nReferral Hub — local hub is up\n");
        b.append("  HTTP API (agencies)      ").append(baseUrl).append("/v1/referrals\n");
        b.append("  Health                   ").append(baseUrl).append("/health\n");
        b.append("  Admin API                ").append(baseUrl).append("/admin/v1/{agencies,partners,programs,mappings,routing,config,sandbox}\n");
        b.append("                           (Authorization: Bearer <admin token>; or ./referral-hub --help)\n");
        b.append("  Configuration            version ").append(((StoredConfiguration) hub.services().configs()).version())
                .append(" in the table (the YAML is read at first start only)\n");
        b.append("  Sandbox partners         ").append(baseUrl).append("/sandbox/partners/{partnerId}/deliveries   (admin token)\n");
        b.append("  SFTP (agency files)      sftp -P ").append(sftp.port()).append(" <agency>@localhost   (upload to inbound/)\n");
        hub.services().config().partners().stream()
                .filter(p -> p.intake() instanceof PartnerChannel.Sftp)
                .forEach(p -> {
                    PartnerChannel.Sftp sftpIntake = (PartnerChannel.Sftp) p.intake();
                    b.append("  Partner files (").append(p.id()).append(")  ")
                            .append(sftpHome(sftpIntake.username()).resolve(sftpIntake.directory())).append("\n");
                });
        b.append("  SMTP (agency e-mail)     localhost:").append(mail.smtpPort()).append("  to ").append(HUB_ADDRESS).append("\n");
        b.append("  IMAP (read mailboxes)    localhost:").append(mail.imapPort()).append("  login = password = the address\n");
        b.append("  DynamoDB Local           ").append(dynamoEndpoint).append("\n");
        b.append("  Data directory           ").append(dataDirectory).append("\n");
        b.append("  Partners                 ");
        b.append(String.join(", ", hub.services().config().partners().stream().map(p -> p.id()).toList())).append("\n");
        b.append("  Demo agency API keys (X-Api-Key):\n");
        demoKeys().forEach((agency, key) -> b.append(String.format("    %-16s %s%n", agency, key)));
        b.append("  Demo partner API keys (X-Api-Key, POST /v1/partner/referrals/{id}/status):\n");
        demoPartnerKeys().forEach((partner, key) -> b.append(String.format("    %-16s %s%n", partner, key)));
        b.append("  Sandbox agency receivers ").append(baseUrl).append("/sandbox/agencies/{agencyId}/deliveries   (notices; admin token)\n");
        b.append("  Demo admin token:        ").append(demoAdminToken()).append("\n");
        b.append("  Demo SFTP users and passwords:\n");
        demoSftpPasswords().forEach((user, password) -> b.append(String.format("    %-16s %s%n", user, password)));
        b.append("Press Ctrl-C to stop.\n");
        return b.toString();
    }

    @Override
    public void close() {
        gateway.close();
        // let a running sweep or pull finish: interrupting an SFTP poll mid-way only makes it spin
        schedule.shutdown();
        try {
            if (!schedule.awaitTermination(30, TimeUnit.SECONDS)) {
                schedule.shutdownNow();
            }
        } catch (InterruptedException e) {
            schedule.shutdownNow();
            Thread.currentThread().interrupt();
        }
        feed.close();
        sftp.close();
        mail.close();
        streams.close();
        hub.close();
        dynamo.close();
    }

    /** The local SFTP server's host key as a known_hosts line, generating the key on first start. */
    private static String knownHostsLine(Path hostKey, int port) throws IOException {
        Files.createDirectories(hostKey.toAbsolutePath().getParent());
        KeyPair key = new SimpleGeneratorHostKeyProvider(hostKey).loadKeys(null).get(0);
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key.getPublic());
    }

    /**
     * Partners that take files on this machine's SFTP server get an account there, and the hub a key pair for it in
     * the local key store (made on first start, owner-only).
     */
    /**
     * The signing secrets the seed configuration names ({@code {{secret:name}}}) and the local key store lacks are
     * made, so the demo runs at once: read one from {@code data/keys/<name>} to sign as the agency or verify as the
     * partner.
     */
    public static void makeMissingSigningSecrets(String configLocation, DirectorySecretStore keys) {
        Matcher names = ConfigurationLoader.SECRET
                .matcher(ConfigurationLoader.read(configLocation).toString());
        while (names.find()) {
            if (!keys.has(names.group(1))) {
                byte[] key = new byte[24];
                new SecureRandom().nextBytes(key);
                keys.put(names.group(1), ("whsec_" + Base64.getEncoder().encodeToString(key))
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static List<LocalSftpServer.PartnerAccount> partnerAccounts(Hub hub, DirectorySecretStore keys, Path root) {
        List<LocalSftpServer.PartnerAccount> accounts = new ArrayList<>();
        for (Partner partner : hub.services().config().partners()) {
            if (partner.intake() instanceof PartnerChannel.Sftp intake && "127.0.0.1".equals(intake.host())) {
                accounts.add(standIn(keys, root, intake.username(), intake.privateKeyRef(), List.of(intake.directory())));
            }
        }
        for (var agency : hub.services().config().agencies()) {
            var pull = agency.pull();
            if (pull != null && "127.0.0.1".equals(pull.host())) {
                accounts.add(standIn(keys, root, pull.username(), pull.privateKeyRef(),
                        Arrays.asList(pull.directory(), pull.resultsDirectory())));
            }
        }
        return accounts;
    }

    /** An account on the local SFTP server standing in for another organisation's server, and the hub's key for it. */
    private static LocalSftpServer.PartnerAccount standIn(DirectorySecretStore keys, Path root, String username,
                                                          String keyRef, List<String> folders) {
        try {
            if (!keys.has(keyRef)) {
                KeyPair generated = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
                ByteArrayOutputStream pem = new ByteArrayOutputStream();
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(generated, "referral-hub", null, pem);
                keys.put(keyRef, pem.toByteArray());
            }
            KeyPair pair = SecurityUtils.loadKeyPairIdentities(null, null,
                    new ByteArrayInputStream(keys.get(keyRef)), null).iterator().next();
            Path home = root.resolve(username);
            for (String folder : folders) {
                Files.createDirectories(home.resolve(folder == null ? "." : folder));
            }
            return new LocalSftpServer.PartnerAccount(username, home, pair.getPublic());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the SFTP stand-in account " + username, e);
        }
    }

    /**
     * The data directory is its owner's only: it and the folders in it 0700, DynamoDB Local's files 0600 — clients'
     * data, the keys and the table are nobody else's on a shared machine. (Files the hub writes later sit in those
     * folders, which no one else may enter.) A file system without POSIX permissions is left as it is.
     */
    static void ownerOnly(Path data) throws IOException {
        Files.createDirectories(data);   // a first start: nothing there yet
        if (!Files.getFileStore(data).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> folder = PosixFilePermissions.fromString("rwx------");
        Files.setPosixFilePermissions(data, folder);
        try (DirectoryStream<Path> inside = Files.newDirectoryStream(data)) {
            for (Path path : inside) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(path, folder);
                }
            }
        }
        Path table = data.resolve("dynamodb");
        if (Files.isDirectory(table)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(table, "*.db")) {
                for (Path file : files) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        }
    }

    /** The address every local server listens on when {@value #BIND_VARIABLE} does not say another. */
    public static final String LOOPBACK = "127.0.0.1";
    /** The variable that widens the local servers' address on purpose (0.0.0.0: every interface). */
    public static final String BIND_VARIABLE = "HUB_BIND";

    /**
     * Where the local servers listen: loopback, so nothing on the network reaches the table, the files, the mail or
     * the API; {@value #BIND_VARIABLE} names another address (an IP literal) for whoever wants that on purpose.
     */
    static String bindAddress() {
        String wanted = System.getenv(BIND_VARIABLE);
        if (wanted == null || wanted.isBlank()) {
            return LOOPBACK;
        }
        if (!wanted.strip().matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException(BIND_VARIABLE + " must be an IP address (127.0.0.1, 0.0.0.0, ::1)");
        }
        LOG.warn("the local servers listen on {} ({}): reachable beyond this machine if that is not loopback",
                wanted.strip(), BIND_VARIABLE);
        return wanted.strip();
    }

    /** DynamoDB Local on a free port, for benchmarks and tools; a null directory keeps it in memory. */
    public static DynamoDbLocalServer startDynamoDbLocal(Path directory) throws IOException {
        return DynamoDbLocalServer.start(freePort(), directory);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.fromEnvironment();
        LocalHub local = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(local::close, "local-hub-shutdown"));
        System.out.println(local.banner(local.dynamo.endpoint()));
        Thread.currentThread().join();
    }
}
