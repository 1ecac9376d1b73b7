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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.files.FileImport;
import org.referralhub.referral.CanonicalJson;

/**
 * A batch of newly stored referrals goes out several at a time — as many as {@code delivery.concurrentDeliveries}
 * says — each one once, signed, under its own webhook-id; with the setting at 1, one after another.
 */
class ConcurrentDispatchIT {

    private static final int REFERRALS = 40;

    @TempDir
    Path data;

    private HttpServer partner;
    private final ConcurrentLinkedQueue<String> webhookIds = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    @BeforeEach
    void startPartner() throws Exception {
        // a partner that takes 100 ms over each referral
        partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        partner.setExecutor(Executors.newFixedThreadPool(32));
        partner.createContext("/intake", exchange -> {
            int now = inFlight.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                exchange.getRequestBody().readAllBytes();
                Thread.sleep(100);
                if (exchange.getRequestHeaders().getFirst("webhook-signature") != null) {
                    webhookIds.add(exchange.getRequestHeaders().getFirst("webhook-id"));
                }
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        partner.start();
    }

    @AfterEach
    void stopPartner() {
        partner.stop(0);
    }

    @Test
    void aBatchGoesOutSeveralAtATimeEachReferralOnce() throws Exception {
        deliverAll(null);
        assertThat(mostAtOnce.get()).as("deliveries at once").isBetween(2, 8);
    }

    @Test
    void oneAtATimeWhenTheProgramSaysSo() throws Exception {
        deliverAll(1);
        assertThat(mostAtOnce.get()).as("deliveries at once").isEqualTo(1);
    }

    /** Every referral routed to one webhook partner (the receiver), imported in one file, all delivered. */
    private void deliverAll(Integer concurrentDeliveries) throws Exception {
        ObjectNode config = ConfigurationLoader.read("classpath:hub-config.yaml");
        ((ObjectNode) config.get("routing")).set("rules", CanonicalJson.MAPPER.createArrayNode());
        for (var p : config.get("partners")) {
            if (p.path("id").asText().equals(config.at("/routing/fallbackPartner").asText())) {
                ((ObjectNode) p.get("intake")).put("url", "http://127.0.0.1:" + partner.getAddress().getPort() + "/intake");
            }
        }
        if (concurrentDeliveries != null) {
            ((ObjectNode) config.get("delivery")).put("concurrentDeliveries", concurrentDeliveries);
        }
        Path configFile = Files.writeString(data.resolve("one-partner.json"), CanonicalJson.write(config));
        StringBuilder csv = new StringBuilder("Reference,First Name,Last Name,Email,Postal Code,Arrival Date,"
                + "Years of Experience,English Level,Consent\r\n");
        for (int i = 0; i < REFERRALS; i++) {
            csv.append("CD-").append(i).append(",Client").append(i).append(",Test,client").append(i)
                    .append("@example.org,M5V 3L9,2024-03-15,8,CLB 8,yes\r\n");
        }
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withConfigLocation(configFile.toString())
                // the change feed alone: the periodic sweep, a second dispatcher, would blur the count
                .withSweepMillis(3_600_000))) {
            Path inbound = Files.createDirectories(data.resolve("sftp/cics/inbound"));
            Files.write(inbound.resolve("batch.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
            FileImport.Summary summary = hub.hub().producer().requestBody(Endpoints.FILE_INTAKE, "cics/inbound/batch.csv",
                    FileImport.Summary.class);
            assertThat(summary.accepted()).as(summary.toString()).isEqualTo(REFERRALS);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (webhookIds.size() < REFERRALS && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            Thread.sleep(500);   // a repeat, if any, would arrive now
        }
        List<String> ids = List.copyOf(webhookIds);
        assertThat(ids).hasSize(REFERRALS).doesNotHaveDuplicates();
    }
}
