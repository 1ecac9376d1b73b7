package org.referralhub.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.RoutesBuilder;
import org.referralhub.admin.Administration;
import org.referralhub.admin.QuarantineReplay;
import org.referralhub.admin.ReferralErasure;
import org.referralhub.admin.ReferralQueries;
import org.referralhub.admin.Sandbox;
import org.referralhub.archive.DirectoryRawArchive;
import org.referralhub.archive.RawArchive;
import org.referralhub.archive.S3RawArchive;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.HealthRoutes;
import org.referralhub.camel.SignInLimit;
import org.referralhub.camel.admin.AdminDoor;
import org.referralhub.camel.admin.AdminRoutes;
import org.referralhub.camel.admin.ConfigurationAdminRoutes;
import org.referralhub.camel.admin.ConsoleRoutes;
import org.referralhub.camel.admin.ReferralAdminRoutes;
import org.referralhub.camel.admin.ReplayAdminRoutes;
import org.referralhub.camel.admin.SandboxAdminRoutes;
import org.referralhub.camel.dispatch.DeliveryErrorHandling;
import org.referralhub.camel.dispatch.DispatchRoutes;
import org.referralhub.camel.dispatch.EmailDeliveryRoutes;
import org.referralhub.camel.dispatch.FhirDeliveryRoutes;
import org.referralhub.camel.dispatch.SftpDeliveryRoutes;
import org.referralhub.camel.dispatch.WebhookDeliveryRoutes;
import org.referralhub.camel.intake.AgencyDoor;
import org.referralhub.camel.intake.AgencyReadRoutes;
import org.referralhub.camel.intake.EmailIntakeRoutes;
import org.referralhub.camel.intake.FhirIntakeRoutes;
import org.referralhub.camel.intake.FileIntakeRoutes;
import org.referralhub.camel.intake.FilePullRoutes;
import org.referralhub.camel.intake.NearMatchRoutes;
import org.referralhub.camel.intake.StoreReferralRoutes;
import org.referralhub.camel.intake.WebhookIntakeRoutes;
import org.referralhub.camel.outcome.FhirPartnerRoutes;
import org.referralhub.camel.outcome.NoticeRoutes;
import org.referralhub.camel.outcome.PartnerDoor;
import org.referralhub.camel.outcome.PartnerStatusRoutes;
import org.referralhub.camel.outcome.SignedCallRoutes;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.OutboundAddresses;
import org.referralhub.config.Partner;
import org.referralhub.config.Program;
import org.referralhub.delivery.CachedSecretStore;
import org.referralhub.delivery.ConfigurationSecrets;
import org.referralhub.delivery.DeadLetters;
import org.referralhub.delivery.DirectorySecretStore;
import org.referralhub.delivery.SecretStore;
import org.referralhub.delivery.SecretsManagerSecretStore;
import org.referralhub.email.EmailImport;
import org.referralhub.email.MailSender;
import org.referralhub.email.MailboxPull;
import org.referralhub.email.SesMailSender;
import org.referralhub.email.SmtpMailSender;
import org.referralhub.fhir.BundleReader;
import org.referralhub.files.DirectoryFileDropStore;
import org.referralhub.files.FileDropStore;
import org.referralhub.files.FileImport;
import org.referralhub.files.FileLimits;
import org.referralhub.files.S3FileDropStore;
import org.referralhub.intake.NearMatchAnswers;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.intake.WebhookReader;
import org.referralhub.outcome.Notice;
import org.referralhub.outcome.NoticeSending;
import org.referralhub.outcome.PartnerMessages;
import org.referralhub.outcome.PartnerStatusFiles;
import org.referralhub.outcome.StaleSweep;
import org.referralhub.outcome.StatusLinks;
import org.referralhub.outcome.StatusReports;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.store.ConfigurationStore;
import org.referralhub.store.FailedAttempts;
import org.referralhub.store.IdempotencyRecords;
import org.referralhub.store.NoticeOutbox;
import org.referralhub.store.PartnerLoadCounters;
import org.referralhub.store.ReferralStore;
import org.referralhub.store.StoredConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Everything a hub is made of, made once, in layer order: the SDK clients, the stores, the configuration, the domain's
 * services, then the route builders of the wings asked for — so a function builds only what its events need. Nothing
 * else in the hub calls {@code new} on these; {@link Hub} starts and stops what this makes.
 */
public final class HubAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(HubAssembly.class);
    /** Where the hub's secrets are named when the settings do not say (in AWS: the stack's name and a hyphen). */
    private static final String DEFAULT_SECRET_PREFIX = "referral-hub-";

    private final HubSettings settings;
    private final Clock clock;
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private long lastPhase = System.nanoTime();

    // clients
    final SdkHttpClient http;
    final DynamoDbClient dynamo;
    final S3Client s3;
    // stores
    private final ReferralStore store;
    private final RawArchive archive;
    private final FileDropStore fileDrop;
    private final FileDropStore mailDrop;
    private final SecretStore secrets;
    private final StoredConfiguration config;
    private final IdempotencyRecords records;
    private final NoticeOutbox notices;
    private final FailedAttempts attempts;
    private final PartnerLoadCounters load;
    // the domain's services
    private final Administration administration;
    private final OutboundAddresses outbound;
    private final ReferralIntake intake;
    private final MailSender mail;
    private final String hubAddress;
    private final String publicBaseUrl;
    private final StatusLinks links;
    private final StatusReports reports;
    private final DeadLetters deadLetters;
    private final FileImport files;
    private final EmailImport email;

    HubAssembly(HubSettings settings, Clock clock, Map<String, String> placeholders) {
        this.settings = settings;
        this.clock = clock;
        http = UrlConnectionHttpClient.create();
        Region region = Region.of(settings.get(HubSettings.AWS_REGION).orElse("ca-central-1"));
        URI endpoint = settings.get(HubSettings.AWS_ENDPOINT_URL).map(URI::create).orElse(null);
        AwsCredentialsProvider credentials = credentials(endpoint, settings.get(HubSettings.ENDPOINT_CREDENTIALS));
        var dynamoBuilder = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            dynamoBuilder.endpointOverride(endpoint);
        }
        dynamo = dynamoBuilder.build();
        phase("dynamodb-client");
        String table = settings.require(HubSettings.REFERRALS_TABLE);
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        store = new ReferralStore(enhanced, table);
        phase("table-schema");

        s3 = settings.get(HubSettings.ARCHIVE_BUCKET).isPresent() || settings.get(HubSettings.FILE_DROP_BUCKET).isPresent()
                || settings.get(HubSettings.MAIL_DROP_BUCKET).isPresent() ? s3(region, endpoint, credentials) : null;
        archive = s3 != null && settings.get(HubSettings.ARCHIVE_BUCKET).isPresent()
                ? new S3RawArchive(s3, settings.require(HubSettings.ARCHIVE_BUCKET))
                : new DirectoryRawArchive(localDirectory(HubSettings.ARCHIVE_DIR, HubSettings.ARCHIVE_BUCKET,
                        "the raw-payload archive"));
        fileDrop = s3 != null && settings.get(HubSettings.FILE_DROP_BUCKET).isPresent()
                ? new S3FileDropStore(s3, settings.require(HubSettings.FILE_DROP_BUCKET))
                : new DirectoryFileDropStore(localDirectory(HubSettings.FILE_DROP_DIR, HubSettings.FILE_DROP_BUCKET,
                        "agency file drops"));
        mailDrop = s3 != null && settings.get(HubSettings.MAIL_DROP_BUCKET).isPresent()
                ? new S3FileDropStore(s3, settings.require(HubSettings.MAIL_DROP_BUCKET))
                : settings.get(HubSettings.MAIL_DROP_DIR).<FileDropStore>map(d -> new DirectoryFileDropStore(Path.of(d)))
                        .orElse(null);
        phase("archive-and-drops");

        Map<String, String> values = new HashMap<>(placeholders);
        values.put("hubBaseUrl", settings.get(HubSettings.HUB_BASE_URL).orElse("http://localhost:8080"));
        ConfigurationStore configStore = new ConfigurationStore(dynamo, table);
        secrets = settings.get(HubSettings.KEY_STORE_DIR)
                .<SecretStore>map(dir -> new DirectorySecretStore(Path.of(dir)))
                .orElseGet(() -> new CachedSecretStore(new SecretsManagerSecretStore(
                        secretsManager(region, endpoint, credentials),
                        settings.get(HubSettings.SECRET_NAME_PREFIX).orElse(DEFAULT_SECRET_PREFIX),
                        settings.get(HubSettings.SECRETS_KMS_KEY).orElse(null)), settings.secretsCacheAge(), clock));
        ConfigurationSecrets configSecrets = new ConfigurationSecrets(secrets,
                settings.get(HubSettings.SECRET_NAME_PREFIX).orElse(DEFAULT_SECRET_PREFIX));
        phase("secret-store");
        seedConfiguration(configStore, settings.configLocation(), values, configSecrets, clock);
        phase("seed-check");
        config = new StoredConfiguration(configStore, values, configSecrets, settings.configCacheAge(), clock);
        config.current();
        phase("configuration");

        load = new PartnerLoadCounters(dynamo, table, config, clock, Duration.ofSeconds(5));
        store.onSettled(load::settled);
        store.retainClosedReferralsUntil(referral -> config.current().retainUntil(referral));
        store.holdNearMatchesIn(program -> config.current().program(program)
                .map(p -> p.nearMatch() == Program.NearMatch.HOLD).orElse(false));
        records = new IdempotencyRecords(enhanced, table);
        notices = new NoticeOutbox(enhanced, table);
        attempts = new FailedAttempts(dynamo, table, clock, settings.authFailureLimit(), settings.authFailureWindow());
        outbound = OutboundAddresses.of(settings.get(HubSettings.OUTBOUND_ADDRESSES).orElse(null));
        administration = new Administration(configStore, values, configSecrets, config::refresh, clock,
                outbound::problems);
        intake = new ReferralIntake(config, load);
        mail = mailSender(settings, secrets, region, endpoint, credentials);
        hubAddress = settings.get(HubSettings.HUB_EMAIL_ADDRESS).orElse("referrals@hub.localhost");
        publicBaseUrl = values.get("hubBaseUrl");
        String linkKeyRef = settings.get(HubSettings.STATUS_LINK_KEY_REF).orElse("status-link-key");
        AtomicReference<byte[]> linkKey = new AtomicReference<>();
        links = new StatusLinks(() -> linkKey.updateAndGet(k -> k != null ? k : secrets.get(linkKeyRef)));
        reports = new StatusReports(config, store, clock);
        deadLetters = new DeadLetters(config, store, notices, clock);
        files = new FileImport(config, intake, store, archive, fileDrop, clock, FileLimits.DEFAULT,
                settings.maxFileBytes(), records, settings.intakeLease());
        email = mailDrop == null ? null : new EmailImport(config, intake, store, archive, mailDrop, mail, hubAddress,
                clock, settings.get(HubSettings.MAX_EMAIL_BYTES).map(Long::parseLong).orElse(20L * 1024 * 1024),
                settings.get(HubSettings.MAX_EMAIL_ATTACHMENTS).map(Integer::parseInt).orElse(10), records);
        phase("services");
    }

    /** The route builders of the wings asked for, with the error handling each side needs and the health route. */
    List<RoutesBuilder> routes(Set<Wing> wings) {
        List<RoutesBuilder> routes = new ArrayList<>(List.of(new ApiErrorHandling(), new HealthRoutes(store, archive)));
        NearMatchAnswers nearMatches = new NearMatchAnswers(store, intake, load::settled);
        SignInLimit signIns = new SignInLimit(attempts, clock);
        SignedCallRoutes signedCalls = new SignedCallRoutes(outbound);
        PartnerMessages partnerMessages = new PartnerMessages(config, mail, hubAddress, links, publicBaseUrl,
                signedCalls, clock);
        if (wings.contains(Wing.AGENCY_API)) {
            AgencyDoor door = new AgencyDoor(config, signIns, archive, clock, settings.maxBodyBytes());
            routes.add(new WebhookIntakeRoutes(door, new WebhookReader(intake), intake));
            routes.add(new FhirIntakeRoutes(door, new BundleReader(intake), intake, clock));
            routes.add(new AgencyReadRoutes(door, store, clock));
            routes.add(new NearMatchRoutes(door, nearMatches, clock));
            routes.add(new StoreReferralRoutes(store, clock));
        }
        if (wings.contains(Wing.PARTNER_API)) {
            PartnerDoor partners = new PartnerDoor(config, signIns);
            routes.add(new PartnerStatusRoutes(partners, config, signIns, archive, reports, links, records, clock));
            routes.add(new FhirPartnerRoutes(partners, config, store, reports, publicBaseUrl, clock));
        }
        if (wings.contains(Wing.FILES)) {
            routes.add(new FileIntakeRoutes(files, new PartnerStatusFiles(reports, store, archive, fileDrop, clock, records),
                    config, attempts, settings.get(HubSettings.SFTP_USER_ROLE_ARN).orElse(null),
                    settings.get(HubSettings.FILE_DROP_BUCKET).orElse(null)));
            routes.add(new FilePullRoutes(config, secrets, clock, files, fileDrop, records));
        }
        if (wings.contains(Wing.EMAIL) && email != null) {
            routes.add(new EmailIntakeRoutes(email, new MailboxPull(config, email, mailDrop, secrets, records, clock)));
        }
        if (wings.contains(Wing.DISPATCH)) {
            routes.add(new DeliveryErrorHandling(this::pause, clock));
            routes.add(new DispatchRoutes(config, store, reports, clock));
            routes.add(new WebhookDeliveryRoutes(config, clock, outbound));
            routes.add(new SftpDeliveryRoutes(config, secrets));
            routes.add(new FhirDeliveryRoutes(config, secrets, outbound));
            routes.add(new EmailDeliveryRoutes(config, mail, hubAddress, links, publicBaseUrl, clock));
        }
        if (wings.contains(Wing.NOTICES)) {
            routes.add(new NoticeRoutes(new NoticeSending(config, notices, fileDrop, mail, hubAddress, signedCalls, clock),
                    new StaleSweep(config, store, reports, partnerMessages, clock)));
        }
        if (wings.contains(Wing.ADMIN)) {
            AdminDoor door = new AdminDoor(config, signIns);
            routes.add(new AdminRoutes(door));
            routes.add(new ConfigurationAdminRoutes(administration));
            routes.add(new ReferralAdminRoutes(store, archive, new ReferralQueries(config, store, clock),
                    new ReferralErasure(config, store, archive, files, partnerMessages::tellOfErasure, clock),
                    nearMatches, clock));
            routes.add(new ReplayAdminRoutes(deadLetters, new QuarantineReplay(store, files, email, clock)));
            routes.add(new SandboxAdminRoutes(door, new Sandbox(config, load, administration::propose, clock)));
            routes.add(new ConsoleRoutes());
        }
        if (wings.contains(Wing.NOTICES) || wings.contains(Wing.ADMIN)) {
            routes.add(signedCalls);
        }
        return routes;
    }

    void phase(String name) {
        long now = System.nanoTime();
        phases.put(name, (now - lastPhase) / 1_000_000);
        lastPhase = now;
    }

    Map<String, Long> phases() {
        return Collections.unmodifiableMap(phases);
    }

    public ReferralStore store() {
        return store;
    }

    public RawArchive archive() {
        return archive;
    }

    /** The configuration in force, read through its cache on every use. */
    public ConfigurationSource configs() {
        return config;
    }

    /** The configuration in force now. */
    /** Where this deployment's webhooks may go. */
    OutboundAddresses outbound() {
        return outbound;
    }

    public HubConfiguration config() {
        return config.current();
    }

    public Administration administration() {
        return administration;
    }

    public ReferralIntake intake() {
        return intake;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public FailedAttempts attempts() {
        return attempts;
    }

    public Clock clock() {
        return clock;
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

    private SecretsManagerClient secretsManager(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        var builder = SecretsManagerClient.builder().httpClient(http).region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private SesV2Client ses(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        var builder = SesV2Client.builder().httpClient(http).region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private S3Client s3(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        var builder = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        return builder.build();
    }

    /** The hub pauses a partner's deliveries: a change of the configuration like any other, audited as the hub's. */
    private void pause(Partner partner, Partner.Paused paused) {
        if (config.current().partner(partner.id()).map(Partner::isPaused).orElse(true)) {
            return;   // paused meanwhile (several deliveries answered 410 at once), or no longer configured
        }
        ObjectNode patch = CanonicalJson.MAPPER.createObjectNode();
        patch.set("paused", CanonicalJson.MAPPER.valueToTree(paused));
        administration.patch(Administration.Kind.PARTNERS, partner.id(), patch, paused.by(), null);
        notices.add(Notice.partnerPaused(partner.id(), paused.reason(), Instant.parse(paused.since()), paused.by()),
                Channel.EMAIL, clock.instant());
    }

    private Path localDirectory(String directory, String bucket, String purpose) {
        return Path.of(settings.get(directory).orElseThrow(() -> new IllegalStateException(
                "set " + bucket + " (AWS) or " + directory + " (local) for " + purpose)));
    }

    private static AwsCredentialsProvider credentials(URI endpoint, Optional<String> endpointCredentials) {
        if (endpoint != null && endpointCredentials.isPresent()) {
            String[] pair = endpointCredentials.get().split(":", 2);
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(pair[0], pair.length > 1 ? pair[1] : ""));
        }
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
                ? ContainerCredentialsProvider.builder().build()
                : EnvironmentVariableCredentialsProvider.create();
    }

    /**
     * The hub's outgoing mail: SES's API under the function's role (AWS), or SMTP; without either, replies are logged
     * as not sent.
     */
    private MailSender mailSender(HubSettings settings, SecretStore secrets, Region region, URI endpoint,
                                  AwsCredentialsProvider credentials) {
        if (settings.get(HubSettings.MAIL_TRANSPORT).filter("ses"::equalsIgnoreCase).isPresent()) {
            return new SesMailSender(() -> ses(region, endpoint, credentials));
        }
        if (settings.get(HubSettings.SMTP_HOST).isEmpty()) {
            return message -> LOG.warn("no SMTP_HOST set: a reply to an agency was not sent");
        }
        String passwordRef = settings.get(HubSettings.SMTP_PASSWORD_REF).orElse(null);
        String username = settings.get(HubSettings.SMTP_USERNAME).filter(u -> !u.isBlank()).orElse(null);
        return new SmtpMailSender(settings.require(HubSettings.SMTP_HOST),
                settings.get(HubSettings.SMTP_PORT).map(Integer::parseInt).orElse(587),
                settings.get(HubSettings.SMTP_STARTTLS).map(Boolean::parseBoolean).orElse(false), username,
                () -> passwordRef == null ? null : new String(secrets.get(passwordRef), StandardCharsets.UTF_8));
    }
}
