package org.referralhub.camel.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.camel.Endpoints;
import org.referralhub.camel.WingParts;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Partner;
import org.referralhub.delivery.PartnerPause;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.email.OutboundEmail;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.outcome.StatusLinks;
import org.referralhub.outcome.StatusReports;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.store.NoticeOutbox;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

/**
 * The dispatch wing on its own: a stored referral whose delivery is due is claimed and handed to the route of its
 * partner's channel — the partners' servers replaced by mocks, the inbox by a list — and recorded delivered, once.
 */
class DispatchRoutesTest extends CamelTestSupport {

    @TempDir
    Path folder;
    private WingParts parts;
    private final List<OutboundEmail> sent = new ArrayList<>();
    private final List<String> pauses = new ArrayList<>();
    /** The configuration the dispatch routes read: the demo's, or as a test changes it. */
    private final AtomicReference<HubConfiguration> configuration = new AtomicReference<>();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        parts = new WingParts(folder);
        configuration.set(parts.config);
        StatusReports reports = new StatusReports(parts.configs, parts.store, parts.clock);
        return new RoutesBuilder[] {new DeliveryErrorHandling((partner, paused) -> pauses.add(partner.id()), parts.clock),
                new DispatchRoutes(configuration::get, parts.store, reports, parts.clock),
                new WebhookDeliveryRoutes(parts.configs, parts.clock),
                new SftpDeliveryRoutes(parts.configs, name -> "key".getBytes(StandardCharsets.UTF_8)),
                new EmailDeliveryRoutes(parts.configs, this::send, "referrals@hub.example",
                        new StatusLinks(() -> new byte[32]), "http://localhost:9", parts.clock)};
    }

    @AfterEach
    void closeParts() {
        parts.close();
    }

    @Test
    void aDueReferralGoesOutOnceByItsPartnersOwnChannel() throws Exception {
        AdviceWith.adviceWith(context, "deliver-webhook", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().to("mock:partner-webhook"));
        AdviceWith.adviceWith(context, "deliver-sftp", a -> a.interceptSendToEndpoint("sftp*")
                .skipSendToOriginalEndpoint().to("mock:partner-sftp"));
        context.start();
        Referral referral = storedReferral();
        assertThat(referral.delivery().state()).isEqualTo(Delivery.State.PENDING);
        Partner partner = parts.config.partner(referral.partnerId()).orElseThrow();
        MockEndpoint webhook = getMockEndpoint("mock:partner-webhook");
        MockEndpoint sftp = getMockEndpoint("mock:partner-sftp");

        template.sendBody(Endpoints.DISPATCH, referral.referralId());
        template.sendBody(Endpoints.DISPATCH, referral.referralId());

        Channel channel = partner.intake().kind();
        assertThat(webhook.getReceivedCounter()).isEqualTo(channel == Channel.WEBHOOK ? 1 : 0);
        assertThat(sftp.getReceivedCounter()).isEqualTo(channel == Channel.SFTP ? 1 : 0);
        assertThat(sent).hasSize(channel == Channel.EMAIL ? 1 : 0);
        if (channel == Channel.WEBHOOK) {
            var call = webhook.getReceivedExchanges().get(0).getMessage();
            assertThat(call.getHeader(WebhookSignature.ID_HEADER)).isEqualTo(referral.delivery().idempotencyId());
            assertThat(call.getBody(String.class)).contains(referral.referralId());
        }
        Referral after = parts.store.find(referral.referralId()).orElseThrow();
        assertThat(after.delivery().state()).isEqualTo(Delivery.State.DELIVERED);
        assertThat(after.delivery().attempts()).hasSize(1);
        assertThat(after.delivery().attempts().get(0).channel()).isEqualTo(channel);
    }

    @Test
    void aReferralWithNothingDueIsNotSent() throws Exception {
        AdviceWith.adviceWith(context, "deliver-webhook", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().to("mock:partner-webhook"));
        context.start();

        template.sendBody(Endpoints.DISPATCH, ReferralIds.newId(WingParts.NOW));

        assertThat(getMockEndpoint("mock:partner-webhook").getReceivedCounter()).isZero();
        assertThat(sent).isEmpty();
    }

    @Test
    void aDeliveryGivenUpForGoodTellsTheReferringAgency() throws Exception {
        AdviceWith.adviceWith(context, "deliver-webhook", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().to("mock:partner-webhook"));
        AdviceWith.adviceWith(context, "deliver-sftp", a -> a.interceptSendToEndpoint("sftp*")
                .skipSendToOriginalEndpoint().to("mock:partner-sftp"));
        context.start();
        partnerDown = true;
        for (String mock : new String[] {"mock:partner-webhook", "mock:partner-sftp"}) {
            getMockEndpoint(mock).whenAnyExchangeReceived(e -> {
                throw new HttpOperationFailedException("https://partner.example", 503, "Unavailable", null, null, null);
            });
        }
        Referral referral = storedReferral();

        // a partner down for good: tried on the schedule until an attempt comes 72 hours after the first
        for (int i = 0; i < 10 && parts.store.find(referral.referralId()).orElseThrow().delivery().state()
                != Delivery.State.FAILED; i++) {
            template.sendBody(Endpoints.DISPATCH, referral.referralId());
            parts.advance(Duration.ofHours(20));
        }

        Referral after = parts.store.find(referral.referralId()).orElseThrow();
        assertThat(after.delivery().state()).isEqualTo(Delivery.State.FAILED);
        List<DeliveryAttempt> attempts = after.delivery().attempts();
        Instant first = attempts.get(0).at();
        assertThat(Duration.between(first, attempts.get(attempts.size() - 1).at())).as("given up at 72 hours")
                .isGreaterThanOrEqualTo(Duration.ofHours(72));
        assertThat(Duration.between(first, attempts.get(attempts.size() - 2).at())).as("not before")
                .isLessThan(Duration.ofHours(72));
        List<NoticeOutbox.Pending> told = new NoticeOutbox(DynamoDbEnhancedClient.builder().dynamoDbClient(parts.dynamo)
                .build(), parts.table).due(parts.clock.instant(), 10);
        assertThat(told).as("the referring agency (CICS, told by webhook) has a notice waiting").singleElement()
                .satisfies(notice -> {
                    assertThat(notice.notice().referralId()).isEqualTo(referral.referralId());
                    assertThat(notice.notice().agencyId()).isEqualTo("cics");
                    assertThat(notice.notice().status()).isEqualTo("failed");
                    assertThat(notice.notice().reason()).isEqualTo("delivery-failed");
                    assertThat(notice.channel()).isEqualTo(Channel.WEBHOOK);
                });
    }

    private boolean partnerDown;

    private void send(OutboundEmail email) {
        if (partnerDown) {
            throw new IllegalStateException("the partner's mail server refused the message");
        }
        sent.add(email);
    }

    @Test
    void aPartnerWhoseEndpointIsGoneIsPausedAfterOneAttempt() throws Exception {
        AdviceWith.adviceWith(context, "deliver-webhook", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().to("mock:partner-webhook"));
        context.start();
        getMockEndpoint("mock:partner-webhook").whenAnyExchangeReceived(e -> {
            throw new HttpOperationFailedException("https://partner.example", 410, "Gone", null, null, null);
        });
        Referral referral = storedWebhookReferral("gone-1");

        template.sendBody(Endpoints.DISPATCH, referral.referralId());

        assertThat(pauses).containsExactly("humber");
        assertThat(parts.store.find(referral.referralId()).orElseThrow().delivery().attempts()).singleElement()
                .satisfies(a -> assertThat(a.responseStatus()).isEqualTo(410));
    }

    @Test
    void whileAPartnerIsPausedItsReferralsWaitOnHoldAndGoOutOnceAfter() throws Exception {
        AdviceWith.adviceWith(context, "deliver-webhook", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().to("mock:partner-webhook"));
        context.start();
        MockEndpoint webhook = getMockEndpoint("mock:partner-webhook");
        Referral referral = storedWebhookReferral("paused-1");
        configuration.set(withHumberPaused());

        template.sendBody(Endpoints.DISPATCH, referral.referralId());
        template.sendBody(Endpoints.DISPATCH, referral.referralId());

        assertThat(webhook.getReceivedCounter()).isZero();
        Referral waiting = parts.store.find(referral.referralId()).orElseThrow();
        assertThat(waiting.status()).isEqualTo(ReferralStatus.ON_HOLD);
        assertThat(waiting.statusReason()).isEqualTo("partner-paused");
        assertThat(waiting.delivery().state()).isEqualTo(Delivery.State.PENDING);
        assertThat(waiting.delivery().attempts()).as("no attempt made").isEmpty();
        assertThat(waiting.delivery().nextAttemptAt()).isEqualTo(parts.clock.instant().plus(Duration.ofMinutes(15)));
        assertThat(new NoticeOutbox(DynamoDbEnhancedClient.builder().dynamoDbClient(parts.dynamo).build(), parts.table)
                .due(parts.clock.instant().plus(Duration.ofDays(2)), 10)).as("CET told once")
                .singleElement().satisfies(n -> assertThat(n.notice().reason()).isEqualTo("partner-paused"));

        // an administrator takes the pause away; at the next look the referral is requested again, then sent once
        configuration.set(parts.config);
        parts.advance(Duration.ofMinutes(15));
        template.sendBody(Endpoints.DISPATCH, referral.referralId());
        template.sendBody(Endpoints.DISPATCH, referral.referralId());
        template.sendBody(Endpoints.DISPATCH, referral.referralId());

        assertThat(webhook.getReceivedCounter()).isEqualTo(1);
        Referral after = parts.store.find(referral.referralId()).orElseThrow();
        assertThat(after.status()).isEqualTo(ReferralStatus.REQUESTED);
        assertThat(after.delivery().state()).isEqualTo(Delivery.State.DELIVERED);
    }

    /** The demo configuration with Humber's deliveries paused, as the hub pauses them. */
    private HubConfiguration withHumberPaused() {
        ObjectNode raw = ConfigurationLoader.read("classpath:hub-config.yaml");
        for (var partner : raw.get("partners")) {
            if ("humber".equals(partner.path("id").asText())) {
                ((ObjectNode) partner).set("paused", CanonicalJson.MAPPER.valueToTree(
                        PartnerPause.goneAt(parts.clock.instant())));
            }
        }
        return ConfigurationLoader.resolve(raw, Map.of("hubBaseUrl", "http://localhost:9"),
                name -> "whsec_" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)));
    }

    /** A referral of CET (its form tool), routed to Humber's webhook, under the form's own {@code token}. */
    private Referral storedWebhookReferral(String token) throws Exception {
        byte[] body;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("samples/cet-formtool.json")) {
            body = in.readAllBytes();
        }
        var payload = CanonicalJson.MAPPER.readTree(body);
        ((ObjectNode) payload.get("form_response")).put("token", token);
        var agency = parts.config.agency("cet").orElseThrow();
        Referral referral = new ReferralIntake(parts.config).assemble(new ReferralIntake.Receipt(
                ReferralIds.newId(WingParts.NOW), agency, Channel.WEBHOOK, agency.webhookMapping(), WingParts.NOW, "test"),
                payload);
        return parts.store.insert(referral, WingParts.NOW).referral();
    }

    @Test
    void theSweepDeliversSeveralAtOnceAndStartsNoneAfterItsDeadline() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // a partner that takes its time (counted before the mock, which takes one call at a time)
        AdviceWith.adviceWith(context, "deliver-webhook", a -> a.interceptSendToEndpoint("http*")
                .skipSendToOriginalEndpoint().process(e -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.sleep(300);
                    inFlight.decrementAndGet();
                }).to("mock:partner-webhook"));
        context.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Referral referral = storedWebhookReferral("sweep-" + i);
            assertThat(referral.partnerId()).isEqualTo("humber");
            ids.add(referral.referralId());
        }

        // a sweep with no time left starts nothing: every delivery stays due, for the next one
        Integer none = template.requestBodyAndHeader(Endpoints.DISPATCH_DUE, null, Endpoints.TIME_BUDGET,
                Duration.ZERO, Integer.class);
        assertThat(none).isZero();
        assertThat(getMockEndpoint("mock:partner-webhook").getReceivedCounter()).isZero();
        assertThat(parts.store.dueForDelivery(parts.clock.instant(), 10)).hasSize(6);

        Integer started = template.requestBody(Endpoints.DISPATCH_DUE, null, Integer.class);
        assertThat(started).isEqualTo(6);
        assertThat(ids).allSatisfy(id -> assertThat(parts.store.find(id).orElseThrow().delivery().state())
                .isEqualTo(Delivery.State.DELIVERED));
        assertThat(most.get()).as("deliveries in flight at once").isGreaterThan(1);
    }

    private Referral storedReferral() throws Exception {
        byte[] body;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("samples/cics-canonical.json")) {
            body = in.readAllBytes();
        }
        var agency = parts.config.agency("cics").orElseThrow();
        Referral referral = new ReferralIntake(parts.config).assemble(new ReferralIntake.Receipt(
                ReferralIds.newId(WingParts.NOW), agency, Channel.WEBHOOK, agency.webhookMapping(), WingParts.NOW, "test"),
                CanonicalJson.MAPPER.readTree(body));
        return parts.store.insert(referral, WingParts.NOW).referral();
    }
}
