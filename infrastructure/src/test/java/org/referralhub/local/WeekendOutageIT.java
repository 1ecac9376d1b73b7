package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
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
import java.util.concurrent.atomic.AtomicBoolean;
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
 * schedule and, once the partner is back, delivers every referral, each once, none lost, with no one's help.
 */
class WeekendOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(WeekendOutageIT.class);
    private static final int REFERRALS = 30;
    private static final Instant FRIDAY_EVENING = Instant.parse("2026-12-04T22:00:00Z");

    @TempDir
    Path data;

    @Test
    void aPartnerDownSeventyTwoHoursGetsEveryReferralOnceWhenItIsBack() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        HttpServer partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        partner.createContext("/intake", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (down.get()) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
            } else {
                accepted.computeIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), id -> new AtomicInteger())
                        .incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        partner.start();
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
            for (int hour = 0; hour < 72; hour++) {
                awaitNothingDue(hub, clock.instant());
                clock.advance(Duration.ofHours(1));
            }
            awaitNothingDue(hub, clock.instant());
            List<Referral> waiting = referrals(hub);
            assertThat(waiting).as("none given up, none lost").hasSize(REFERRALS)
                    .allSatisfy(r -> assertThat(r.delivery().state()).isEqualTo(Delivery.State.PENDING));

            // Monday night: the partner is back, and no one does anything
            down.set(false);
            for (int hour = 0; hour < 12 && accepted.size() < REFERRALS; hour++) {
                clock.advance(Duration.ofHours(1));
                awaitNothingDue(hub, clock.instant());
            }
            List<Referral> after = referrals(hub);
            assertThat(after).allSatisfy(r -> assertThat(r.delivery().state()).isEqualTo(Delivery.State.DELIVERED));
            assertThat(accepted).as("every referral, once").hasSize(REFERRALS)
                    .allSatisfy((id, times) -> assertThat(times.get()).as(id).isEqualTo(1));
            List<DeliveryAttempt> one = after.get(0).delivery().attempts();
            LOG.info("72-hour outage: {} referrals, {} refused attempts in all ({} for the first referral), all "
                    + "delivered {} after the first attempt", REFERRALS, refused.get(), one.size() - 1,
                    Duration.between(one.get(0).at(), one.get(one.size() - 1).at()));
            assertThat(Duration.between(one.get(0).at(), one.get(one.size() - 1).at()))
                    .isGreaterThanOrEqualTo(Duration.ofHours(72));
        } finally {
            partner.stop(0);
        }
    }

    /** The demo configuration with every referral routed to one webhook partner: the given server. */
    private Path onePartner(HttpServer partner) throws Exception {
        ObjectNode config = ConfigurationLoader.read("classpath:hub-config.yaml");
        ((ObjectNode) config.get("routing")).set("rules", CanonicalJson.MAPPER.createArrayNode());
        for (var p : config.get("partners")) {
            if (p.path("id").asText().equals(config.at("/routing/fallbackPartner").asText())) {
                ((ObjectNode) p.get("intake")).put("url", "http://127.0.0.1:" + partner.getAddress().getPort() + "/intake");
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
