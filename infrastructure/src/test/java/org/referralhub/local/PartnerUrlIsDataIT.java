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
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.files.FileImport;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;

/**
 * A partner's webhook URL is an address and nothing more: a query that reads like a Camel endpoint option
 * ({@code throwExceptionOnFailure=false}) goes to the partner as its query, and a partner answering 500 is a failed
 * attempt — the option cannot turn the hub's reading of the answer off and have a refusal recorded as delivered.
 */
class PartnerUrlIsDataIT {

    @TempDir
    Path data;

    private HttpServer partner;
    private final ConcurrentLinkedQueue<String> queries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger redirectedTo = new AtomicInteger();
    /** What the partner's intake answers. */
    private volatile int answer = 500;

    @BeforeEach
    void startPartner() throws Exception {
        partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        partner.createContext("/intake", exchange -> {
            exchange.getRequestBody().readAllBytes();
            queries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            if (answer == 302) {
                exchange.getResponseHeaders().set("Location", "/elsewhere");
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        partner.createContext("/elsewhere", exchange -> {
            exchange.getRequestBody().readAllBytes();
            redirectedTo.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        partner.start();
    }

    @AfterEach
    void stopPartner() {
        partner.stop(0);
    }

    @Test
    void aQueryInThePartnersUrlIsSentAsItsQueryNeverReadAsAnEndpointOption() throws Exception {
        DeliveryAttempt first = firstAttempt("/intake?throwExceptionOnFailure=false");
        assertThat(first.outcome()).isEqualTo(DeliveryAttempt.Outcome.FAILED);
        assertThat(first.responseStatus()).isEqualTo(500);
        assertThat(queries).as("what the partner's server saw").isNotEmpty()
                .allSatisfy(q -> assertThat(q).isEqualTo("throwExceptionOnFailure=false"));
    }

    @Test
    void aRedirectIsAFailedAttemptAndNeverFollowed() throws Exception {
        answer = 302;
        DeliveryAttempt first = firstAttempt("/intake");
        assertThat(first.outcome()).isEqualTo(DeliveryAttempt.Outcome.FAILED);
        assertThat(first.responseStatus()).isEqualTo(302);
        assertThat(redirectedTo.get()).as("the address the partner pointed to").isZero();
    }

    /** The first delivery attempt of a referral sent to the partner at {@code path} of the test's server. */
    private DeliveryAttempt firstAttempt(String path) throws Exception {
        ObjectNode config = ConfigurationLoader.read("classpath:hub-config.yaml");
        ((ObjectNode) config.get("routing")).set("rules", CanonicalJson.MAPPER.createArrayNode());
        for (var p : config.get("partners")) {
            if (p.path("id").asText().equals(config.at("/routing/fallbackPartner").asText())) {
                ((ObjectNode) p.get("intake")).put("url", "http://127.0.0.1:" + partner.getAddress().getPort() + path);
            }
        }
        Path configFile = Files.writeString(data.resolve("one-partner.json"), CanonicalJson.write(config));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String csv = "Reference,First Name,Last Name,Email,Postal Code,Arrival Date,Years of Experience,English Level,"
                + "Consent\r\nURL-" + run + ",Amara,Test,amara-" + run + "@example.org,M5V 3L9,2024-03-15,8,CLB 8,yes\r\n";
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withConfigLocation(configFile.toString()))) {
            Path inbound = Files.createDirectories(data.resolve("sftp/cics/inbound"));
            Files.write(inbound.resolve("one.csv"), csv.getBytes(StandardCharsets.UTF_8));
            FileImport.Summary summary = hub.hub().producer().requestBody(Endpoints.FILE_INTAKE, "cics/inbound/one.csv",
                    FileImport.Summary.class);
            assertThat(summary.accepted()).as(summary.toString()).isEqualTo(1);
            List<DeliveryAttempt> attempts = List.of();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (attempts.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                List<Referral> mine = new ArrayList<>();
                hub.hub().services().store().forEachOfAgency("cics", Instant.now().minusSeconds(600),
                        Instant.now().plusSeconds(60), r -> {
                            if (("amara-" + run + "@example.org").equals(r.client().email())) {
                                mine.add(r);
                            }
                        });
                attempts = mine.isEmpty() || mine.get(0).delivery() == null ? List.of() : mine.get(0).delivery().attempts();
            }
            assertThat(attempts).as("the first attempt, recorded").isNotEmpty();
            return attempts.get(0);
        }
    }
}
