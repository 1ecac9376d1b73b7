package org.referralhub.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.delivery.CachedSecretStore;
import org.referralhub.delivery.SecretsManagerSecretStore;
import org.referralhub.email.EmailImport;
import org.referralhub.email.OutboundEmail;
import org.referralhub.email.SesMailSender;
import org.referralhub.files.FileImport;
import org.referralhub.functions.AwsEvents;
import org.referralhub.functions.DispatchSweepFunction;
import org.referralhub.functions.EmailIntakeFunction;
import org.referralhub.functions.FileIntakeFunction;
import org.referralhub.functions.ReferralApiFunction;
import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;
import org.referralhub.local.LocalLambdaContext;
import org.referralhub.local.MovableClock;
import org.referralhub.local.TemplateYaml;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.Referral;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The hub in AWS mode — S3 archive and file drop, Secrets Manager, SES's API, DynamoDB — against moto's server, on
 * the table, buckets, key and secret that template.yaml made there (through the SAM translator and moto's
 * CloudFormation), named as the stack names them. The handlers take events made by the SAM CLI.
 */
class AwsModeIT {

    private static final String STACK = "hub-it";
    private static final String HUB_ADDRESS = "referrals@hub.example";

    private static MotoServer moto;
    private static Map<String, String> stack;
    private static Hub hub;
    private static HttpServer partners;
    private static final List<String> partnerCalls = new CopyOnWriteArrayList<>();
    private static S3Client s3;
    private static SecretsManagerClient secretsManager;
    private static SesV2Client ses;
    private static EventBridgeClient events;
    private static SqsClient sqs;
    private static String probe;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        stack = moto.deploy(STACK, "ResourcePrefix=" + STACK);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY,
                MotoServer.SECRET_KEY));
        URI endpoint = URI.create(moto.endpoint());
        Region region = Region.of(MotoServer.REGION);
        s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(region)
                .credentialsProvider(credentials).build();
        secretsManager = SecretsManagerClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(credentials).build();
        ses = SesV2Client.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).build();
        events = EventBridgeClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .build();
        sqs = SqsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).build();

        // what an operator does once, as README's deploy section says: the sending domain verified in SES, and the
        // demo's signing secrets made under the stack's prefix
        ses.createEmailIdentity(r -> r.emailIdentity("hub.example"));
        SecretsManagerSecretStore store = new SecretsManagerSecretStore(secretsManager, STACK + "-", keyArn());
        Matcher names = ConfigurationLoader.SECRET.matcher(ConfigurationLoader.read(HubSettings.DEFAULT_CONFIG).toString());
        while (names.find()) {
            byte[] key = new byte[24];
            new SecureRandom().nextBytes(key);
            store.put(names.group(1), ("whsec_" + Base64.getEncoder().encodeToString(key)).getBytes(StandardCharsets.UTF_8));
        }

        partners = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        partners.createContext("/sandbox/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            partnerCalls.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("webhook-id"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        partners.start();

        Map<String, String> settings = new HashMap<>();
        settings.put(HubSettings.REFERRALS_TABLE, stack.get("ReferralsTable"));
        settings.put(HubSettings.ARCHIVE_BUCKET, stack.get("RawArchiveBucket"));
        settings.put(HubSettings.FILE_DROP_BUCKET, stack.get("FileDropBucket"));
        settings.put(HubSettings.MAIL_DROP_BUCKET, stack.get("MailBucket"));
        settings.put(HubSettings.SECRET_NAME_PREFIX, STACK + "-");
        settings.put(HubSettings.SECRETS_KMS_KEY, keyArn());
        settings.put(HubSettings.STATUS_LINK_KEY_REF, STACK + "-status-link-key");
        settings.put(HubSettings.MAIL_TRANSPORT, "ses");
        settings.put(HubSettings.HUB_EMAIL_ADDRESS, HUB_ADDRESS);
        settings.put(HubSettings.HUB_BASE_URL, "http://127.0.0.1:" + partners.getAddress().getPort());
        settings.put(HubSettings.AWS_ENDPOINT_URL, moto.endpoint());
        settings.put(HubSettings.ENDPOINT_CREDENTIALS, MotoServer.ACCESS_KEY + ":" + MotoServer.SECRET_KEY);
        settings.put(HubSettings.AWS_REGION, MotoServer.REGION);
        hub = Hub.start(HubSettings.of(settings));
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
        if (partners != null) {
            partners.stop(0);
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static String keyArn() {
        return "arn:aws:kms:" + MotoServer.REGION + ":" + MotoServer.ACCOUNT + ":key/" + stack.get("DataKey");
    }

    private static String fixture(String name) throws Exception {
        try (InputStream in = AwsModeIT.class.getClassLoader().getResourceAsStream("events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static <T> T event(Class<T> type, String json) {
        return AwsEvents.read(type, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aWebhookReferralIsArchivedInTheStacksBucketStoredInItsTableAndDeliveredByTheSweep() throws Exception {
        ReferralApiFunction api = new ReferralApiFunction(hub);
        String post = fixture("apigw-post-referral.json");
        APIGatewayV2HTTPResponse created = api.handleRequest(event(APIGatewayV2HTTPEvent.class, post),
                new LocalLambdaContext("referral-api"));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(202);
        String referralId = CanonicalJson.MAPPER.readTree(created.getBody()).get("referralId").asText();

        // archived byte for byte in the bucket the template made, before anything else
        String sent = event(APIGatewayV2HTTPEvent.class, post).getBody();
        List<S3Object> archived = s3.listObjectsV2(r -> r.bucket(stack.get("RawArchiveBucket")).prefix("raw/")).contents();
        assertThat(archived).anySatisfy(o -> assertThat(s3.getObjectAsBytes(r -> r.bucket(stack.get("RawArchiveBucket"))
                .key(o.key())).asUtf8String()).isEqualTo(sent));

        APIGatewayV2HTTPResponse read = api.handleRequest(event(APIGatewayV2HTTPEvent.class,
                fixture("apigw-get-referral.json").replace("REFERRAL_ID", referralId)), new LocalLambdaContext("referral-api"));
        assertThat(read.getStatusCode()).isEqualTo(200);

        // the sweep (its schedule's event made by the SAM CLI) delivers it through the partner's channel, once
        DispatchSweepFunction sweep = new DispatchSweepFunction(hub);
        ScheduledEvent tick = event(ScheduledEvent.class, fixture("scheduled-every-minute.json"));
        Instant deadline = Instant.now().plusSeconds(20);
        Referral referral = hub.services().store().find(referralId).orElseThrow();
        while (referral.delivery().state() != Delivery.State.DELIVERED && Instant.now().isBefore(deadline)) {
            sweep.handleRequest(tick, new LocalLambdaContext("dispatch-sweep"));
            Thread.sleep(200);
            referral = hub.services().store().find(referralId).orElseThrow();
        }
        assertThat(referral.delivery().state()).as(referral.delivery().toString() + moto.logTail())
                .isEqualTo(Delivery.State.DELIVERED);
        String id = "dlv_" + referralId + "_" + referral.partnerId();
        long calls = partnerCalls.stream().filter(c -> c.endsWith(" " + id)).count();
        long mails = moto.sentMail().stream().filter(m -> m.contains(id)).count();
        assertThat(calls + mails).as("delivered once, by webhook or by mail: " + partnerCalls).isEqualTo(1);
    }

    @Test
    void aFileDroppedInTheStacksBucketIsImportedThroughItsEventAndItsUploadKeptAsAVersion() throws Exception {
        String bucket = stack.get("FileDropBucket");
        String key = "polycultural/inbound/Weekly referrals (Nov).csv";
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(
                "Case ID,First Name,Last Name,Email,Consent to Refer\nAWS-1,Lina,Haddad,lina.aws@example.net,Y\n"));
        String json = fixture("eventbridge-s3-object-created.json")
                .replace("referral-hub-drops-123456789012-ca-central-1", bucket);
        // the template's rule lets it through (asked of EventBridge itself)
        assertThat(ruleLetsThrough(json)).isTrue();

        List<FileImport.Summary> summaries = new FileIntakeFunction(hub).handleRequest(event(ScheduledEvent.class, json),
                new LocalLambdaContext("file-intake"));

        assertThat(summaries).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo("processed");
            assertThat(s.accepted()).isEqualTo(1);
        });
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("polycultural/results/")).contents())
                .extracting(S3Object::key).contains("polycultural/results/Weekly referrals (Nov).csv.results.csv");
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("polycultural/inbound/")).contents())
                .as("moved out of inbound/").isEmpty();
        // the bucket keeps versions (the template says so): the upload is still there, non-current, for 30 days
        assertThat(s3.getBucketVersioning(r -> r.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        assertThat(s3.listObjectVersions(r -> r.bucket(bucket).prefix(key)).versions())
                .extracting(ObjectVersion::key).contains(key);
        assertThat(s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules()).singleElement()
                .satisfies(rule -> assertThat(rule.noncurrentVersionExpiration().noncurrentDays()).isEqualTo(30));
    }

    @Test
    void whatTheHubWritesIntoTheFileDropBucketNeverStartsTheFileIntake() throws Exception {
        String json = fixture("eventbridge-s3-object-created.json")
                .replace("referral-hub-drops-123456789012-ca-central-1", stack.get("FileDropBucket"));
        assertThat(ruleLetsThrough(json.replace("polycultural/inbound/", "polycultural/results/"))).isFalse();
        assertThat(ruleLetsThrough(json.replace("polycultural/inbound/", "polycultural/archive/"))).isFalse();
        assertThat(ruleLetsThrough(json.replace("polycultural/inbound/", "humber/status/"))).as("a partner's status file")
                .isTrue();
        assertThat(ruleLetsThrough(json.replace(stack.get("FileDropBucket"), stack.get("MailBucket")))).isFalse();
    }

    /**
     * Whether template.yaml's FileDropped rule, its bucket filled in, lets an event through: the rule is put on
     * EventBridge (moto's, whose TestEventPattern is not implemented) with a queue as its target, the event is put on
     * the bus, and the queue says whether it came.
     */
    @SuppressWarnings("unchecked")
    private static synchronized boolean ruleLetsThrough(String event) throws Exception {
        if (probe == null) {
            Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) TemplateYaml.load()
                    .get("Resources")).get("FileIntakeFunction");
            Map<String, Object> rule = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    ((Map<String, Object>) function.get("Properties")).get("Events")).get("FileDropped")).get("Properties");
            String pattern = CanonicalJson.MAPPER.writeValueAsString(rule.get("Pattern"))
                    .replace("{\"Ref\":\"FileDropBucket\"}", "\"" + stack.get("FileDropBucket") + "\"");
            events.putRule(r -> r.name("FileDropped").eventPattern(pattern));
            probe = sqs.createQueue(r -> r.queueName("file-dropped-probe")).queueUrl();
            String arn = sqs.getQueueAttributes(r -> r.queueUrl(probe).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            events.putTargets(r -> r.rule("FileDropped").targets(t -> t.id("probe").arn(arn)));
        }
        JsonNode sent = CanonicalJson.MAPPER.readTree(event);
        var put = events.putEvents(r -> r.entries(e -> e.source(sent.get("source").asText())
                .detailType(sent.get("detail-type").asText()).detail(sent.get("detail").toString())
                .resources(sent.get("resources").get(0).asText())));
        assertThat(put.failedEntryCount()).isZero();
        List<Message> through = sqs.receiveMessage(r -> r.queueUrl(probe).waitTimeSeconds(1)).messages();
        through.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(probe).receiptHandle(m.receiptHandle())));
        return !through.isEmpty();
    }

    @Test
    void aSecretRotatedInSecretsManagerIsInUseOnceItsCacheAgeHasPassed() {
        secretsManager.createSecret(r -> r.name(STACK + "-partner-x-sftp-key").secretString("first"));
        MovableClock clock = new MovableClock(Instant.parse("2026-12-05T12:00:00Z"));
        CachedSecretStore secrets = new CachedSecretStore(new SecretsManagerSecretStore(secretsManager, STACK + "-",
                keyArn()), Duration.ofMinutes(5), clock);

        assertThat(new String(secrets.get("partner-x-sftp-key"), StandardCharsets.UTF_8)).isEqualTo("first");
        secretsManager.putSecretValue(r -> r.secretId(STACK + "-partner-x-sftp-key").secretString("second"));
        assertThat(new String(secrets.get("partner-x-sftp-key"), StandardCharsets.UTF_8)).as("kept").isEqualTo("first");
        clock.advance(Duration.ofMinutes(5));
        assertThat(new String(secrets.get("partner-x-sftp-key"), StandardCharsets.UTF_8)).isEqualTo("second");

        assertThatThrownBy(() -> secrets.get("no-such-key")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Secrets Manager has no secret '" + STACK + "-no-such-key'");
        // a secret the hub makes is its stack's, under the stack's key
        secrets.put(STACK + "-signing-partner-x-deliveries-0a1b2c3d4e", "whsec_eA==".getBytes(StandardCharsets.UTF_8));
        assertThat(secretsManager.describeSecret(r -> r.secretId(STACK + "-signing-partner-x-deliveries-0a1b2c3d4e"))
                .kmsKeyId()).isEqualTo(keyArn());
    }

    @Test
    void mailGoesOutThroughSesFromTheVerifiedDomainWithTheHubsIdInAHeaderSesLeavesAlone() throws Exception {
        SesMailSender sender = new SesMailSender(() -> ses);
        sender.send(new OutboundEmail(HUB_ADDRESS, "intake@partner.example", "Referral 01ABC for you", "Hello",
                "<dlv_01ABC_humber@hub.example>", null, null));

        assertThat(moto.sentMail()).anySatisfy(raw -> assertThat(raw)
                .contains("X-Referral-Hub-Id: <dlv_01ABC_humber@hub.example>")
                .contains("To: intake@partner.example").contains("Subject: Referral 01ABC for you"));
        assertThatThrownBy(() -> sender.send(new OutboundEmail("hub@unverified.example", "a@partner.example", "x", "y",
                null, null, null))).hasMessage("SES did not take the message (MessageRejected)");
    }

    @Test
    void sesSetUpNoticeInTheMailBucketIsNotTakenForMail() throws Exception {
        String bucket = stack.get("MailBucket");
        s3.putObject(r -> r.bucket(bucket).key("inbound/AMAZON_SES_SETUP_NOTIFICATION"),
                RequestBody.fromString("Amazon SES has successfully set up this bucket"));
        String json = fixture("s3-ses-setup-notification.json").replace("referral-hub-mail-123456789012-ca-central-1", bucket);

        List<EmailImport.Outcome> outcomes = new EmailIntakeFunction(hub).handleRequest(event(S3Event.class, json),
                new LocalLambdaContext("email-intake"));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.disposition()).isEqualTo("ses-setup-notice");
            assertThat(o.referralIds()).isEmpty();
        });
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("inbound/")).contents()).isEmpty();
        assertThat(moto.sentMail()).noneMatch(m -> m.contains("AMAZON_SES_SETUP_NOTIFICATION"));
    }
}
