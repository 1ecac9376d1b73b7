package org.referralhub.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.referralhub.archive.DirectoryRawArchive;
import org.referralhub.archive.RawArchive;
import org.referralhub.archive.S3RawArchive;
import org.referralhub.camel.AdminRoutes;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ConsoleRoutes;
import org.referralhub.camel.DeliveryErrorHandling;
import org.referralhub.camel.DispatchRoutes;
import org.referralhub.camel.FileIntakeRoutes;
import org.referralhub.camel.FilePullRoutes;
import org.referralhub.camel.EmailIntakeRoutes;
import org.referralhub.email.EmailImport;
import org.referralhub.email.MailboxPull;
import org.referralhub.email.MailSender;
import org.referralhub.email.SmtpMailSender;
import org.referralhub.camel.HubServices;
import org.referralhub.camel.IntakeRoutes;
import org.referralhub.camel.OutcomeRoutes;
import org.referralhub.outcome.StatusLinks;
import org.referralhub.outcome.StatusReports;
import org.referralhub.store.NoticeOutbox;
import org.referralhub.camel.SftpDeliveryRoutes;
import org.referralhub.camel.EmailDeliveryRoutes;
import org.referralhub.camel.WebhookDeliveryRoutes;
import org.referralhub.camel.WebhookIntakeRoutes;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.DeliveryPolicy;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.referralhub.admin.Administration;
import org.referralhub.store.ConfigurationStore;
import org.referralhub.store.IdempotencyRecords;
import org.referralhub.store.PartnerLoadCounters;
import org.referralhub.store.StoredConfiguration;
import org.referralhub.delivery.DeliveryLedger;
import org.referralhub.delivery.DirectorySecretStore;
import org.referralhub.delivery.LambdaExtensionSecretStore;
import org.referralhub.delivery.SecretStore;
import org.referralhub.delivery.SecretsManagerSecretStore;
import org.referralhub.delivery.ConfigurationSecrets;
import org.referralhub.files.DirectoryFileDropStore;
import org.referralhub.files.FileDropStore;
import org.referralhub.files.FileImport;
import org.referralhub.files.FileLimits;
import org.referralhub.files.S3FileDropStore;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One running hub: SDK clients, configuration, stores and the CamelContext with every route, built once per
 * Lambda container (or once in the local hub) and shared by all handlers. Callers reach the routes through
 * {@link #producer()} and the {@code direct:} endpoints in {@link org.referralhub.camel.Endpoints}.
 */
public final class Hub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    private final HubServices services;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final SdkHttpClient http;
    private final DynamoDbClient dynamo;
    private final S3Client s3;

    private Map<String, Long> startup = Map.of();

    private Hub(HubServices services, CamelContext camel, SdkHttpClient http, DynamoDbClient dynamo, S3Client s3) {
        this.services = services;
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
        this.http = http;
        this.dynamo = dynamo;
        this.s3 = s3;
    }

    public static Hub start(HubSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    public static Hub start(HubSettings settings, Clock clock) {
        return start(settings, clock, Map.of());
    }

    /**
     * @param placeholders values for the configuration's {@code {{name}}} placeholders, beside {@code hubBaseUrl}
     */
    public static Hub start(HubSettings settings, Clock clock, Map<String, String> placeholders) {
        long started = System.nanoTime();
        StartupPhases phases = new StartupPhases();
        // this thread mostly waits — on class loading and the table — while building the SDK clients and reading the
        // configuration; another builds what comes after meanwhile: Camel's context (its fixed start), the canonical
        // JSON mapper and the phone-number metadata (every referral's first use). On one core this gains nothing
        // and costs nothing; it is the single largest cut in a cold start where there are two (README, Benchmarks)
        java.util.concurrent.FutureTask<CamelContext> camelReady = new java.util.concurrent.FutureTask<>(() -> {
            CamelContext context = newCamelContext();
            org.referralhub.referral.CanonicalJson.write(Map.of());
            Class.forName("org.referralhub.intake.FieldReader", true, Hub.class.getClassLoader());
            return context;
        });
        Thread warming = new Thread(camelReady, "hub-start-camel");
        warming.setDaemon(true);
        warming.start();
        SdkHttpClient http = UrlConnectionHttpClient.create();
        Region region = Region.of(settings.get(HubSettings.AWS_REGION).orElse("ca-central-1"));
        URI endpoint = settings.get(HubSettings.AWS_ENDPOINT_URL).map(URI::create).orElse(null);
        AwsCredentialsProvider credentials = credentials(endpoint);
        var dynamoBuilder = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            dynamoBuilder.endpointOverride(endpoint);
        }
        DynamoDbClient dynamo = dynamoBuilder.build();
        phases.done("dynamodb-client");
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        ReferralStore store = new ReferralStore(enhanced, settings.require(HubSettings.REFERRALS_TABLE));
        phases.done("table-schema");

        S3Client s3 = null;
        if (settings.get(HubSettings.ARCHIVE_BUCKET).isPresent() || settings.get(HubSettings.FILE_DROP_BUCKET).isPresent()
                || settings.get(HubSettings.MAIL_DROP_BUCKET).isPresent()) {
            var s3Builder = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials);
            if (endpoint != null) {
                s3Builder.endpointOverride(endpoint).forcePathStyle(true);
            }
            s3 = s3Builder.build();
        }
        RawArchive archive = s3 != null && settings.get(HubSettings.ARCHIVE_BUCKET).isPresent()
                ? new S3RawArchive(s3, settings.require(HubSettings.ARCHIVE_BUCKET))
                : new DirectoryRawArchive(localDirectory(settings, HubSettings.ARCHIVE_DIR, HubSettings.ARCHIVE_BUCKET,
                        "the raw-payload archive"));
        FileDropStore fileDrop = s3 != null && settings.get(HubSettings.FILE_DROP_BUCKET).isPresent()
                ? new S3FileDropStore(s3, settings.require(HubSettings.FILE_DROP_BUCKET))
                : new DirectoryFileDropStore(localDirectory(settings, HubSettings.FILE_DROP_DIR,
                        HubSettings.FILE_DROP_BUCKET, "agency file drops"));

        FileDropStore mailDrop = s3 != null && settings.get(HubSettings.MAIL_DROP_BUCKET).isPresent()
                ? new S3FileDropStore(s3, settings.require(HubSettings.MAIL_DROP_BUCKET))
                : settings.get(HubSettings.MAIL_DROP_DIR).<FileDropStore>map(d -> new DirectoryFileDropStore(Path.of(d)))
                        .orElse(null);

        phases.done("archive-and-drops");
        Map<String, String> values = new java.util.HashMap<>(placeholders);
        values.put("hubBaseUrl", settings.get(HubSettings.HUB_BASE_URL).orElse("http://localhost:8080"));
        String table = settings.require(HubSettings.REFERRALS_TABLE);
        ConfigurationStore configStore = new ConfigurationStore(dynamo, table);
        SecretStore secrets = settings.get(HubSettings.KEY_STORE_DIR)
                .<SecretStore>map(dir -> new DirectorySecretStore(Path.of(dir)))
                .orElseGet(() -> new SecretsManagerSecretStore(System.getenv("AWS_SESSION_TOKEN") == null ? null
                        : new LambdaExtensionSecretStore(settings.get(HubSettings.SECRETS_EXTENSION_PORT).orElse(null)),
                        endpoint != null ? endpoint : URI.create("https://secretsmanager." + region.id() + ".amazonaws.com"),
                        region.id(), credentials, settings.get(HubSettings.SECRETS_KMS_KEY).orElse(null)));
        ConfigurationSecrets configSecrets = new ConfigurationSecrets(secrets,
                settings.get(HubSettings.SECRET_NAME_PREFIX).orElse("referral-hub-"));
        phases.done("secret-store");
        seedConfiguration(configStore, settings.configLocation(), values, configSecrets, clock);
        phases.done("seed-check");
        StoredConfiguration config = new StoredConfiguration(configStore, values, configSecrets,
                settings.configCacheAge(), clock);
        config.current();
        phases.done("configuration");
        PartnerLoadCounters load = new PartnerLoadCounters(dynamo, table, config, clock, java.time.Duration.ofSeconds(5));
        store.onSettled(load::settled);
        // a closed referral is kept its program's months after it closed, then forgotten (TTL)
        store.retainClosedReferralsUntil(referral -> {
            int months = config.current().program(referral.program()).map(p -> p.retention().monthsAfterClosed())
                    .orElse(org.referralhub.config.Program.DEFAULT_MONTHS_AFTER_CLOSED);
            java.time.Instant closed = referral.statusHistory().isEmpty() ? referral.source().receivedAt()
                    : referral.statusHistory().get(referral.statusHistory().size() - 1).at();
            return closed.atZone(java.time.ZoneOffset.UTC).plusMonths(months).toInstant();
        });
        Administration administration = new Administration(configStore, values, configSecrets, config::refresh, clock);
        ReferralIntake intake = new ReferralIntake(config, load);
        MailSender mail = mailSender(settings, secrets);
        String hubAddress = settings.get(HubSettings.HUB_EMAIL_ADDRESS).orElse("referrals@hub.localhost");
        String linkKeyRef = settings.get(HubSettings.STATUS_LINK_KEY_REF).orElse("status-link-key");
        java.util.concurrent.atomic.AtomicReference<byte[]> linkKey = new java.util.concurrent.atomic.AtomicReference<>();
        StatusLinks links = new StatusLinks(() -> linkKey.updateAndGet(k -> k != null ? k : secrets.get(linkKeyRef)));
        NoticeOutbox notices = new NoticeOutbox(enhanced, table);
        HubServices services = new HubServices(config, intake, store, archive, secrets, mail, hubAddress, clock,
                settings.maxBodyBytes(), load, administration, links, values.get("hubBaseUrl"),
                new org.referralhub.delivery.DeadLetters(config, store, notices, clock), notices,
                new org.referralhub.store.FailedAttempts(dynamo, table, clock, settings.authFailureLimit(),
                        settings.authFailureWindow()));
        IdempotencyRecords records = new IdempotencyRecords(enhanced, table);
        FileImport files = new FileImport(config, intake, store, archive, fileDrop, clock, FileLimits.DEFAULT,
                settings.maxFileBytes(), records, settings.intakeLease());
        EmailImport email = mailDrop == null ? null : new EmailImport(config, intake, store, archive, mailDrop,
                mail, hubAddress, clock, settings.get(HubSettings.MAX_EMAIL_BYTES).map(Long::parseLong).orElse(20L * 1024 * 1024),
                settings.get(HubSettings.MAX_EMAIL_ATTACHMENTS).map(Integer::parseInt).orElse(10), records);
        MailboxPull mailboxes = email == null ? null : new MailboxPull(config, email, mailDrop, secrets, records,
                clock);
        StatusReports reports = new StatusReports(config, store, clock);
        FileIntakeRoutes fileRoutes = new FileIntakeRoutes(files,
                new org.referralhub.outcome.PartnerStatusFiles(reports, store, archive, fileDrop, clock, records), services,
                settings.get(HubSettings.SFTP_USER_ROLE_ARN).orElse(null),
                settings.get(HubSettings.FILE_DROP_BUCKET).orElse(null));
        OutcomeRoutes outcomes = new OutcomeRoutes(services, reports, notices, fileDrop, records);
        phases.done("services");
        CamelContext camel = camel(ready(camelReady), services, fileRoutes, outcomes, new FilePullRoutes(services, files,
                fileDrop, records), email, mailboxes, files);
        phases.done("camel-routes");
        LOG.info("hub started in {} ms ({})", (System.nanoTime() - started) / 1_000_000, phases.millis());
        Hub hub = new Hub(services, camel, http, dynamo, s3);
        hub.startup = phases.millis();
        return hub;
    }

    /**
     * At first start — no configuration in the table yet — the YAML at {@code location} becomes version 1; from then
     * on the table holds the configuration and administrators change it through the admin API.
     */
    private static void seedConfiguration(ConfigurationStore store, String location, Map<String, String> values,
                                          ConfigurationSecrets secrets, Clock clock) {
        if (store.currentNumber() > 0) {
            return;
        }
        ObjectNode raw = ConfigurationLoader.read(location);
        ConfigurationLoader.resolve(raw, values, secrets);
        // a secret written in plain in the file is stored as a secret, and the table holds its name only
        secrets.seal(raw);
        try {
            store.save(0, raw, new ConfigurationStore.Audit("hub", clock.instant(),
                    "loaded " + location + " at first start", null, null));
            LOG.info("configuration loaded from {} as version 1", location);
        } catch (ConfigurationStore.ConcurrentChange raced) {
            LOG.info("configuration was loaded by another instance meanwhile");
        }
    }

    private static Path localDirectory(HubSettings settings, String directory, String bucket, String purpose) {
        return Path.of(settings.get(directory).orElseThrow(() -> new IllegalStateException(
                "set " + bucket + " (AWS) or " + directory + " (local) for " + purpose)));
    }

    private static AwsCredentialsProvider credentials(URI endpoint) {
        if (endpoint != null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            // DynamoDB Local and LocalStack accept any credentials
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        // a SnapStart function restored from its snapshot has no key variables: the runtime serves the role's
        // credentials from its container endpoint instead
        return System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null
                ? software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider.builder().build()
                : EnvironmentVariableCredentialsProvider.create();
    }

    /** The hub's outgoing mail; without an SMTP host, replies are logged as not sent. */
    private static MailSender mailSender(HubSettings settings, SecretStore secrets) {
        if (settings.get(HubSettings.SMTP_HOST).isEmpty()) {
            return message -> LOG.warn("no SMTP_HOST set: a reply to an agency was not sent");
        }
        String passwordRef = settings.get(HubSettings.SMTP_PASSWORD_REF).orElse(null);
        String username = settings.get(HubSettings.SMTP_USERNAME).filter(u -> !u.isBlank()).orElse(null);
        return new SmtpMailSender(settings.require(HubSettings.SMTP_HOST),
                settings.get(HubSettings.SMTP_PORT).map(Integer::parseInt).orElse(587),
                settings.get(HubSettings.SMTP_STARTTLS).map(Boolean::parseBoolean).orElse(false), username,
                () -> passwordRef == null ? null : new String(secrets.get(passwordRef), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static CamelContext ready(java.util.concurrent.FutureTask<CamelContext> camel) {
        try {
            return camel.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot create the hub's Camel context", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** Camel's context, set as the hub runs it; no routes yet (they need the hub's services). */
    private static CamelContext newCamelContext() {
        CamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("referral-hub");
        // personal data stays out of the logs: no message history or tracing (they print bodies), and Camel's own
        // "exhausted" log (it quotes the exception's message) is off — the hub logs failures itself, by class and id
        camel.setMessageHistory(false);
        camel.setTracing(false);
        // a function starts cold: nothing that serves an operator's console here (health is the hub's own route)
        camel.setLoadHealthChecks(false);
        camel.setDevConsole(false);
        camel.setModeline(false);
        camel.setStartupSummaryLevel(org.apache.camel.StartupSummaryLevel.Off);
        camel.setLogExhaustedMessageBody(false);
        camel.getCamelContextExtension().setErrorHandlerFactory(
                new org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition().logExhausted(false)
                        .logStackTrace(false).logRetryAttempted(false));
        // built now (its plugins and registry); routes are added and it starts later
        camel.build();
        return camel;
    }

    private static CamelContext camel(CamelContext camel, HubServices services, FileIntakeRoutes files,
                                      OutcomeRoutes outcomes, FilePullRoutes pulls, EmailImport email,
                                      MailboxPull mailboxes, FileImport fileImport) {
        DeliveryPolicy policy = services.config().delivery();
        DeliveryLedger ledger = new DeliveryLedger(services.store(), policy, services.clock());
        HttpComponent http = new HttpComponent();
        http.setConnectTimeout(policy.connectTimeoutSeconds() * 1000L);
        http.setConnectionRequestTimeout(policy.connectTimeoutSeconds() * 1000L);
        http.setResponseTimeout(policy.responseTimeoutSeconds() * 1000L);
        http.setSoTimeout(policy.responseTimeoutSeconds() * 1000L);
        http.setFollowRedirects(false);
        http.setCookieManagementDisabled(true);
        // the hub schedules and records every retry itself: the client must not retry behind its back
        http.setHttpClientConfigurer(builder -> builder.disableAutomaticRetries());
        camel.addComponent("http", http);
        camel.addComponent("https", http);
        try {
            camel.addRoutes(new ApiErrorHandling());
            camel.addRoutes(new DeliveryErrorHandling(services, ledger));
            camel.addRoutes(new WebhookIntakeRoutes(services));
            camel.addRoutes(new AdminRoutes(services, email, fileImport));
            camel.addRoutes(new ConsoleRoutes());
            camel.addRoutes(new IntakeRoutes(services));
            camel.addRoutes(files);
            camel.addRoutes(outcomes);
            camel.addRoutes(pulls);
            if (email != null) {
                camel.addRoutes(new EmailIntakeRoutes(email, mailboxes));
            }
            camel.addRoutes(new DispatchRoutes(services));
            camel.addRoutes(new WebhookDeliveryRoutes(services, ledger));
            camel.addRoutes(new SftpDeliveryRoutes(services, ledger));
            camel.addRoutes(new EmailDeliveryRoutes(services, ledger));
            camel.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the hub's routes", e);
        }
        return camel;
    }

    public HubServices services() {
        return services;
    }

    /**
     * Runs what a first request runs, changing nothing: the health route (a table read and the archive), and a sample
     * referral through every agency's mapping, validation, screening and routing in the sandbox. Before a SnapStart
     * snapshot, so the restored function starts with its classes loaded and its clients warm. Answers how many
     * samples ran; a failure of any step is logged by class and passed over — priming never stops a start.
     */
    public int prime() {
        int ran = 0;
        try {
            producer.requestBody(org.referralhub.camel.Endpoints.HEALTH, new org.referralhub.camel.ApiRequest("GET",
                    "/health", Map.of(), Map.of(), new byte[0], "priming", "127.0.0.1"));
        } catch (RuntimeException e) {
            LOG.warn("priming: health check failed ({})", e.getClass().getSimpleName());
        }
        String sample;
        try (var in = Hub.class.getClassLoader().getResourceAsStream("samples/cics-canonical.json")) {
            sample = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            return ran;
        }
        var sandbox = new org.referralhub.admin.Sandbox(services.config(), services.clock());
        for (var agency : services.config().agencies()) {
            for (String mapping : new String[]{org.referralhub.config.FieldMappingSet.CANONICAL, null}) {
                try {
                    sandbox.run(new org.referralhub.admin.Sandbox.Request(agency.id(), "webhook", null, sample, null, null,
                            mapping));
                    ran++;
                } catch (RuntimeException e) {
                    LOG.debug("priming: sample for agency {} not run ({})", agency.id(), e.getClass().getSimpleName());
                }
            }
        }
        return ran;
    }

    /** How long each part of this hub's start took, in milliseconds, in order. */
    public Map<String, Long> startupMillis() {
        return startup;
    }

    /** The start, phase by phase: where a cold start's time goes. */
    private static final class StartupPhases {
        private final Map<String, Long> millis = new java.util.LinkedHashMap<>();
        private long last = System.nanoTime();

        void done(String phase) {
            long now = System.nanoTime();
            millis.put(phase, (now - last) / 1_000_000);
            last = now;
        }

        Map<String, Long> millis() {
            return java.util.Collections.unmodifiableMap(millis);
        }
    }

    public ProducerTemplate producer() {
        return producer;
    }

    public CamelContext camel() {
        return camel;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            LOG.warn("routes did not stop cleanly: {}", e.getClass().getSimpleName());
        }
        dynamo.close();
        if (s3 != null) {
            s3.close();
        }
        http.close();
    }
}
