package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.cli.AdminCli;
import org.referralhub.referral.Referral;

/**
 * A year of seeded referrals, and the funnel report over them: every figure is counted here again, straight from
 * what was seeded, and must match.
 */
class FunnelReportIT {

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static AdminClient admin;
    private static List<Referral> seeded;
    private static final Instant END = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void start() throws Exception {
        // no sweep while the figures are compared: the stale-referral step would reroute year-old seeded referrals
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(3_600_000));
        admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
        seeded = DemoData.seed(hub.hub(), END, 600, 7);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static long count(List<Referral> referrals, Predicate<Referral> p) {
        return referrals.stream().filter(p).count();
    }

    private static boolean milestone(Referral r, Set<String> any) {
        return r.statusHistory().stream().anyMatch(h -> any.contains(String.valueOf(h.businessStatus())));
    }

    private static void assertFigures(JsonNode row, List<Referral> expected) {
        assertThat(row.get("received").asLong()).isEqualTo(expected.size());
        assertThat(row.get("eligible").asLong()).isEqualTo(count(expected, r -> r.screening().eligible()));
        assertThat(row.get("delivered").asLong()).isEqualTo(count(expected, r -> r.delivery() != null
                && "delivered".equals(r.delivery().state().code())));
        assertThat(row.get("accepted").asLong()).isEqualTo(count(expected, r -> r.statusHistory().stream()
                .anyMatch(h -> h.by().startsWith("partner:") && Set.of("accepted", "in-progress", "completed").contains(h.status().code()))));
        assertThat(row.get("registered").asLong()).isEqualTo(count(expected, r -> milestone(r, Set.of("registered", "matched"))));
        assertThat(row.get("matched").asLong()).isEqualTo(count(expected, r -> milestone(r, Set.of("matched"))));
        assertThat(row.get("rejected").asLong()).isEqualTo(count(expected, r -> r.status().code().equals("rejected")));
    }

    @Test
    void theFunnelOfAYearMatchesWhatWasSeededInTotalAndPerAgencyAndPartner() throws Exception {
        assertThat(seeded).hasSizeGreaterThan(500);
        AdminClient.Reply reply = admin.get("/reports/funnel?from=" + END.minus(Duration.ofDays(366)) + "&to=" + END.plusSeconds(1));
        assertThat(reply.status()).isEqualTo(200);
        JsonNode report = reply.body();
        assertFigures(report.get("total"), seeded);
        for (JsonNode row : report.get("byAgency")) {
            assertFigures(row, seeded.stream().filter(r -> r.agencyId().equals(row.get("id").asText())).toList());
        }
        for (JsonNode row : report.get("byPartner")) {
            assertFigures(row, seeded.stream().filter(r -> row.get("id").asText().equals(r.partnerId())).toList());
        }
        assertThat(report.get("byAgency")).hasSize(7);
        long screenedOut = count(seeded, r -> !r.screening().eligible());
        assertThat(report.at("/total/rejectedReasons").toString()).contains("consent-missing").contains("english-level-too-low");
        assertThat(screenedOut).isPositive();
        assertThat(report.at("/total/medianDaysToFirstContact").asDouble()).isBetween(1.0, 10.0);
        assertThat(report.at("/total/medianDaysToRegistration").asDouble()).isGreaterThan(report.at("/total/medianDaysToFirstContact").asDouble());

        JsonNode oneAgency = admin.get("/reports/funnel?agency=cics&from=" + END.minus(Duration.ofDays(366)) + "&to=" + END.plusSeconds(1)).body();
        assertFigures(oneAgency.get("total"), seeded.stream().filter(r -> r.agencyId().equals("cics")).toList());

        Instant recent = END.minus(Duration.ofDays(90));
        JsonNode lastQuarter = admin.get("/reports/funnel?from=" + recent + "&to=" + END.plusSeconds(1)).body();
        assertFigures(lastQuarter.get("total"), seeded.stream().filter(r -> !r.source().receivedAt().isBefore(recent)).toList());
        assertThat(DemoData.seed(hub.hub(), END, 600, 7)).as("seeding again stores nothing twice").isEmpty();
    }

    @Test
    void theReportComesAsCsvAndThroughTheCommandLine() throws Exception {
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(hub.baseUrl() + "/admin/v1/reports/funnel?format=csv"))
                .header("Authorization", "Bearer " + LocalHub.demoAdminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("group,id,received,eligible,delivered,accepted,registered,matched,rejected");
        assertThat(lines.get(1)).startsWith("all,all," + seeded.size() + ",");
        assertThat(lines).anyMatch(l -> l.startsWith("agency,cics,")).anyMatch(l -> l.startsWith("partner,humber,"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = AdminCli.run(new PrintWriter(out, true), new PrintWriter(new ByteArrayOutputStream(), true),
                "--hub", hub.baseUrl(), "--token", LocalHub.demoAdminToken(), "report", "funnel");
        assertThat(exit).isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("RECEIVED").contains("all").contains("cics").contains("rejected because:");
        assertThat(table.lines().filter(l -> l.startsWith("all ")).findFirst().orElseThrow()).contains(" " + seeded.size() + " ");
    }
}
