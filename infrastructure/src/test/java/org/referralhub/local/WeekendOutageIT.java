package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.files.FileImport;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partner down for 72 hours — a long weekend — on the hub's clock, moved by the test: the hub keeps trying on its
 * schedule and, once the partner is back, delivers every referral, each once, none lost, with no one's help. A partner
 * whose endpoint answers 410 Gone is paused instead — tried no more — until an administrator takes the pause away.
 */
class WeekendOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(WeekendOutageIT.class);
    private static final int REFERRALS = 30;
    private static final Instant FRIDAY_EVENING = Instant.parse("2026-12-04T22:00:00Z");

    @TempDir
    Path data;

    @Test
    void aPartnerDownSeventyTwoHoursGetsEveryReferralOnceWhenItIsBack() throws Exception {
        PartnerServer partner = new PartnerServer(503);
        Map<String, AtomicInteger> accepted = partner.accepted;
        MovableClock clock = new MovableClock(FRIDAY_EVENING);
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withConfigLocation(onePartner(partner).toString())
                .withSweepMillis(100).withClock(clock))) {
            StringBuilder csv = new StringBuilder("Reference,First Name,Last Name,Email,Postal Code,Arrival Date,"
                    + "Years of Experience,English Level,Consent\r\n");
            for (int i = 0; i < REFERRALS; i++) {
                csv.append("WKND-").append(i).append(",Client,Number").append(i).append(",client").append(i)
                        .append("@example.org,M5V 3L9,2024-03-15,8,CLB 8,yes\r\n");
            }
            Path inbound = Files.createDirectories(data.resolve("sftp/cics/inbound"));
            Files.writeString(inbound.resolve("friday.csv"), csv, StandardCharsets.UTF_8);
            FileImport.Summary summary = hub.hub().producer().requestBody(Endpoints.FILE_INTAKE,
                    "cics/inbound/friday.csv", FileImport.Summary.class);
            assertThat(summary.accepted()).as(summary.toString()).isEqualTo(REFERRALS);

            // the weekend: every hour of 72, whatever is due is tried (and refused) before the clock moves on
            // (down from the first attempt until the 72nd hour begins to end: every attempt before it is refused)
            for (int hour = 0; hour < 71; hour++) {
                awaitNothingDue(hub, clock.instant());
                clock.advance(Duration.ofHours(1));
            }
            awaitNothingDue(hub, clock.instant());
            List<Referral> waiting = referrals(hub);
            assertThat(waiting).as("none given up, none lost").hasSize(REFERRALS)
                    .allSatisfy(r -> assertThat(r.delivery().state()).isEqualTo(Delivery.State.PENDING));

            // Monday night, 72 hours on: the partner is back, and no one does anything
            partner.refusing = 0;
            for (int hour = 0; hour < 24 && accepted.size() < REFERRALS; hour++) {
                clock.advance(Duration.ofHours(1));
                awaitNothingDue(hub, clock.instant());
            }
            List<Referral> after = referrals(hub);
            assertThat(after).allSatisfy(r -> assertThat(r.delivery().state()).isEqualTo(Delivery.State.DELIVERED));
            assertThat(accepted).as("every referral, once").hasSize(REFERRALS)
                    .allSatisfy((id, times) -> assertThat(times.get()).as(id).isEqualTo(1));
            List<DeliveryAttempt> one = after.get(0).delivery().attempts();
            LOG.info("72-hour outage: {} referrals, {} refused attempts in all ({} for the first referral), all "
                    + "delivered {} after the first attempt", REFERRALS, partner.refused.get(), one.size() - 1,
                    Duration.between(one.get(0).at(), one.get(one.size() - 1).at()));
            assertThat(Duration.between(one.get(0).at(), one.get(one.size() - 1).at()))
                    .isGreaterThanOrEqualTo(Duration.ofHours(72));
        } finally {
            partner.server.stop(0);
        }
    }

    @Test
    void aPartnerWhoseEndpointIsGoneIsPausedUntilAnAdministratorTakesThePauseAway() throws Exception {
        PartnerServer partner = new PartnerServer(410);
        Map<String, AtomicInteger> accepted = partner.accepted;
        AtomicInteger calls = partner.refused;
        MovableClock clock = new MovableClock(FRIDAY_EVENING);
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withConfigLocation(onePartner(partner).toString())
                .withSweepMillis(100).withClock(clock))) {
            AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
            String partnerId = CanonicalJson.MAPPER.readTree(Files.readString(data.resolve("one-partner.json")))
                    .at("/routing/fallbackPartner").asText();
            Path inbound = Files.createDirectories(data.resolve("sftp/cics/inbound"));
            Files.writeString(inbound.resolve("gone.csv"), "Reference,First Name,Last Name,Email,Postal Code,"
                    + "Arrival Date,Years of Experience,English Level,Consent\r\n"
                    + "GONE-1,Ana,One,ana1@example.org,M5V 3L9,2024-03-15,8,CLB 8,yes\r\n"
                    + "GONE-2,Ana,Two,ana2@example.org,M5V 3L9,2024-03-15,8,CLB 8,yes\r\n"
                    + "GONE-3,Ana,Three,ana3@example.org,M5V 3L9,2024-03-15,8,CLB 8,yes\r\n", StandardCharsets.UTF_8);
            hub.hub().producer().requestBody(Endpoints.FILE_INTAKE, "cics/inbound/gone.csv", FileImport.Summary.class);

            // the partner answers 410: the hub pauses it and holds its referrals, its agency told, trying no more
            for (int step = 0; step < 12 && !referrals(hub).stream().allMatch(r -> "partner-paused".equals(r.statusReason()));
                 step++) {
                clock.advance(Duration.ofMinutes(5));
                awaitNothingDue(hub, clock.instant());
            }
            assertThat(referrals(hub)).hasSize(3).allSatisfy(r -> {
                assertThat(r.status().code()).isEqualTo("on-hold");
                assertThat(r.statusReason()).isEqualTo("partner-paused");
            });
            assertThat(admin.get("/partners/" + partnerId).body().at("/paused/reason").asText()).contains("410 Gone");
            assertThat(admin.get("/reports/activity").body().at("/pausedPartners").has(partnerId)).isTrue();
            // and the administrators are told by e-mail, once, at the address they gave
            List<MimeMessage> told = awaitMail(hub, "program-admin@hub.localhost");
            assertThat(told).hasSize(1);
            assertThat(told.get(0).getSubject()).isEqualTo("Partner " + partnerId + " paused: its endpoint is gone");
            assertThat(String.valueOf(told.get(0).getContent())).contains("410 Gone")
                    .contains("PATCH /admin/v1/partners/" + partnerId);
            int callsWhenPaused = calls.get();
            for (int hour = 0; hour < 6; hour++) {
                clock.advance(Duration.ofHours(1));
                awaitNothingDue(hub, clock.instant());
            }
            assertThat(calls.get()).as("no attempt while paused").isEqualTo(callsWhenPaused);

            // the partner has its new address; an administrator takes the pause away
            partner.refusing = 0;
            assertThat(admin.send("PATCH", "/partners/" + partnerId, "{\"paused\": null}").status()).isEqualTo(200);
            for (int step = 0; step < 8 && accepted.size() < 3; step++) {
                clock.advance(Duration.ofMinutes(5));
                awaitNothingDue(hub, clock.instant());
                Thread.sleep(300);   // the change's own dispatch, fed by the table's stream
            }
            assertThat(accepted).as("each referral, once").hasSize(3)
                    .allSatisfy((id, times) -> assertThat(times.get()).isEqualTo(1));
            assertThat(referrals(hub)).allSatisfy(r -> assertThat(r.delivery().state()).isEqualTo(Delivery.State.DELIVERED));
        } finally {
            partner.server.stop(0);
        }
    }

    /** A partner's webhook receiver: refuses every call with {@code refusing} (until set to 0), then accepts. */
    private static final class PartnerServer {
        final HttpServer server;
        final AtomicInteger refused = new AtomicInteger();
        /** Accepted calls by webhook-id. */
        final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        volatile int refusing;

        PartnerServer(int refusing) throws IOException {
            this.refusing = refusing;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/intake", exchange -> {
                exchange.getRequestBody().readAllBytes();
                int status = this.refusing;
                if (status != 0) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(status, -1);
                } else {
                    accepted.computeIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"),
                            id -> new AtomicInteger()).incrementAndGet();
                    exchange.sendResponseHeaders(200, -1);
                }
                exchange.close();
            });
            server.start();
        }
    }

    /** The demo configuration with every referral routed to one webhook partner: the given server. */
    private Path onePartner(PartnerServer partner) throws Exception {
        ObjectNode config = ConfigurationLoader.read("classpath:hub-config.yaml");
        ((ObjectNode) config.get("routing")).set("rules", CanonicalJson.MAPPER.createArrayNode());
        for (var p : config.get("partners")) {
            if (p.path("id").asText().equals(config.at("/routing/fallbackPartner").asText())) {
                ((ObjectNode) p.get("intake")).put("url", "http://127.0.0.1:" + partner.server.getAddress().getPort() + "/intake");
            }
        }
        return Files.writeString(data.resolve("one-partner.json"), CanonicalJson.write(config));
    }

    private static List<Referral> referrals(LocalHub hub) {
        List<Referral> out = new ArrayList<>();
        hub.hub().services().store().forEachOfAgency("cics", FRIDAY_EVENING.minusSeconds(60),
                FRIDAY_EVENING.plus(Duration.ofDays(30)), out::add);
        return out;
    }

    /** The messages an address received, once there are some (wall clock, up to 20 s). */
    private static List<MimeMessage> awaitMail(LocalHub hub, String address) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (hub.mailTo(address).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        Thread.sleep(500);   // a second message, were one sent, would be here too
        return hub.mailTo(address);
    }

    /** Waits (wall clock) until the sweep has taken every delivery due at {@code now}. */
    private static void awaitNothingDue(LocalHub hub, Instant now) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!hub.hub().services().store().dueForDelivery(now, 1).isEmpty()
                || referrals(hub).stream().anyMatch(r -> r.delivery().leaseUntil() != null
                && r.delivery().leaseUntil().isAfter(now) && r.delivery().state() == Delivery.State.PENDING)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("deliveries due at " + now + " were not taken");
            }
            Thread.sleep(50);
        }
    }
}
