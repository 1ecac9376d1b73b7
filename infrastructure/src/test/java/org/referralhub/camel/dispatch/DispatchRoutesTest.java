package org.referralhub.camel.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.referralhub.config.Partner;
import org.referralhub.delivery.DeliveryLedger;
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

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        parts = new WingParts(folder);
        StatusReports reports = new StatusReports(parts.configs, parts.store, parts.clock);
        DeliveryLedger ledger = new DeliveryLedger(parts.store, parts.config.delivery(), parts.clock,
                changed -> reports.notices(changed, parts.clock.instant()));
        return new RoutesBuilder[] {new DeliveryErrorHandling(ledger),
                new DispatchRoutes(parts.configs, parts.store, reports, parts.clock),
                new WebhookDeliveryRoutes(parts.configs, ledger, parts.clock),
                new SftpDeliveryRoutes(parts.configs, name -> "key".getBytes(StandardCharsets.UTF_8), ledger),
                new EmailDeliveryRoutes(parts.configs, this::send, "referrals@hub.example",
                        new StatusLinks(() -> new byte[32]), "http://localhost:9", ledger, parts.clock)};
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
