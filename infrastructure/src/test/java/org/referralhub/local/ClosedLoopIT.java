package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Multipart;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.admin.Administration;
import org.referralhub.referral.CanonicalJson;

/**
 * Partners report what became of referrals; the referring agency is told on its own channel — a signed webhook
 * call, an e-mail, rows in a status file in its SFTP results folder.
 */
class ClosedLoopIT {

    private static final Map<String, String> AGENCY_KEYS = LocalHub.demoKeys();
    private static final Map<String, String> PARTNER_KEYS = LocalHub.demoPartnerKeys();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static HubClient agencies;

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300));
        agencies = new HubClient(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private record Reply(int status, JsonNode body) {
    }

    private static Reply report(String partner, String referralId, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/partner/referrals/" + referralId + "/status"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (partner != null) {
            request.header("X-Api-Key", PARTNER_KEYS.getOrDefault(partner, partner));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isEmpty() ? null : CanonicalJson.MAPPER.readTree(response.body()));
    }

    /** A canonical referral of the agency, living at the postal code, delivered to its partner. */
    private static String delivered(String agency, String postalCode) throws Exception {
        String json = agency.equals("polycultural")
                ? new String(HubClient.sample("polycultural-crm.json"), StandardCharsets.UTF_8)
                        .replace("PICS-88213", "PICS-" + UUID.randomUUID()).replace("L5B 3C2", postalCode)
                : new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                        .replace("CICS-2026-0001", "REF-" + UUID.randomUUID()).replace("m2n6k1", postalCode);
        HubClient.Reply accepted = agencies.postJson(AGENCY_KEYS.get(agency), json);
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().get("referralId").asText();
        agencies.awaitReferral(id, AGENCY_KEYS.get(agency), r -> "delivered".equals(r.at("/delivery/state").asText()),
                Duration.ofSeconds(20));
        return id;
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        T last = read.get();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            Thread.sleep(150);
            last = read.get();
        }
        assertThat(done.test(last)).as("waited for " + last).isTrue();
        return last;
    }

    private static JsonNode agencyReceiver(String agency) {
        try {
            return agencies.get("/sandbox/agencies/" + agency + "/deliveries", null).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPartnerMovesAReferralThroughItsMilestonesAndTheAgencyIsToldBySignedWebhook() throws Exception {
        String id = delivered("cics", "M9W 1A1");    // etobicoke-north: humber, a webhook partner
        assertThat(report("humber", id, "{\"businessStatus\":\"contacted\",\"date\":\"" + Instant.now() + "\"}").body()
                .get("status").asText()).isEqualTo("accepted");
        assertThat(report("humber", id, "{\"businessStatus\":\"registered\"}").body().get("status").asText()).isEqualTo("in-progress");
        Reply matched = report("humber", id, "{\"status\":\"in-progress\",\"businessStatus\":\"matched\",\"reason\":\"mentor: civil engineer\"}");
        assertThat(matched.status()).isEqualTo(200);
        assertThat(matched.body().get("businessStatus").asText()).isEqualTo("matched");

        JsonNode referral = agencies.get("/v1/referrals/" + id, AGENCY_KEYS.get("cics")).body();
        assertThat(referral.get("status").asText()).isEqualTo("in-progress");
        assertThat(referral.get("statusHistory").findValuesAsText("businessStatus"))
                .containsSubsequence("contacted", "registered", "matched");
        assertThat(referral.get("statusHistory").findValuesAsText("by")).contains("partner:humber");

        JsonNode told = await(() -> agencyReceiver("cics"), r -> r.path("deliveries").findValuesAsText("referralId").stream()
                .filter(id::equals).count() >= 3);
        List<JsonNode> notices = new ArrayList<>();
        told.path("deliveries").forEach(d -> {
            if (id.equals(d.at("/referral/referralId").asText())) {
                notices.add(d);
            }
        });
        assertThat(notices).allSatisfy(d -> assertThat(d.get("signatureVerified").asBoolean()).isTrue());
        assertThat(notices.stream().map(d -> d.at("/referral/businessStatus").asText()).toList())
                .containsExactly("contacted", "registered", "matched");
        assertThat(notices.get(0).at("/referral/type").asText()).isEqualTo("referral.status-changed");
        assertThat(notices.get(0).toString()).as("no client data in a notice").doesNotContain("Amara").doesNotContain("Okafor");
    }

    @Test
    void invalidTransitionsAndOtherPartnersAreRefusedWithTheReason() throws Exception {
        String id = delivered("cics", "M9W 1A1");
        Reply back = report("humber", id, "{\"status\":\"requested\"}");
        assertThat(back.status()).isEqualTo(409);
        assertThat(back.body().get("detail").asText()).isEqualTo("A partner cannot move a referral back to requested.");
        assertThat(report("jobstart", id, "{\"businessStatus\":\"contacted\"}").status()).as("not its referral").isEqualTo(404);
        assertThat(report(null, id, "{\"businessStatus\":\"contacted\"}").status()).isEqualTo(401);
        assertThat(report(AGENCY_KEYS.get("cics"), id, "{\"businessStatus\":\"contacted\"}").status())
                .as("an agency key is not a partner key").isEqualTo(401);
        assertThat(report("humber", id, "not json").status()).isEqualTo(400);
        assertThat(report("humber", id, "{\"status\":\"teleported\"}").status()).isEqualTo(422);
        assertThat(report("humber", id, "{\"businessStatus\":\"contacted\",\"date\":\"2999-01-01\"}").status()).isEqualTo(422);

        Reply skipped = report("humber", id, "{\"status\":\"completed\"}");
        assertThat(skipped.status()).as("requested cannot jump to completed").isEqualTo(409);
        assertThat(skipped.body().get("detail").asText()).startsWith("A referral cannot go from requested to completed");
        assertThat(report("humber", id, "{\"status\":\"accepted\"}").status()).isEqualTo(200);
        assertThat(report("humber", id, "{\"status\":\"completed\"}").status()).isEqualTo(200);
        Reply closed = report("humber", id, "{\"businessStatus\":\"registered\"}");
        assertThat(closed.status()).isEqualTo(409);
        assertThat(closed.body().get("detail").asText()).isEqualTo("The referral is completed and takes no further change.");
        assertThat(report("humber", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "{\"status\":\"accepted\"}").status()).isEqualTo(404);
    }

    @Test
    void anAgencyToldByEmailGetsAMessageAndOneToldOverSftpGetsAStatusFile() throws Exception {
        String byEmail = delivered("tropicana", "M5V 3L9");   // jobstart-pilot-agencies
        assertThat(report("jobstart", byEmail, "{\"status\":\"rejected\",\"reason\":\"program full this season\"}").status())
                .isEqualTo(200);
        var message = await(() -> hub.mailTo("coaches@tropicana.example"), l -> l.stream().anyMatch(m -> {
            try {
                return m.getContent().toString().contains(byEmail);
            } catch (Exception e) {
                return false;
            }
        }));
        String text = message.stream().filter(m -> {
            try {
                return m.getContent().toString().contains(byEmail);
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow().getContent().toString();
        assertThat(text).contains("rejected").contains("program full this season").contains("jobstart")
                .doesNotContain("Amara");

        String overSftp = delivered("polycultural", "M5V 3L9");
        assertThat(report("jobstart", overSftp, "{\"businessStatus\":\"contacted\"}").status()).isEqualTo(200);
        Path results = hub.sftpHome("polycultural").resolve("results");
        String rows = await(() -> {
            try (var files = Files.list(results)) {
                StringBuilder all = new StringBuilder();
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("status-")).toList()) {
                    all.append(Files.readString(f));
                }
                return all.toString();
            } catch (IOException e) {
                return "";
            }
        }, t -> t.contains(overSftp));
        assertThat(rows).startsWith("noticeId,referralId,agencyReference,partnerId,status,businessStatus,reason,at")
                .contains(overSftp + ",").contains(",jobstart,accepted,contacted,");
    }

    @Test
    void anAgencyListsOnlyItsOwnReferralsPageByPageWithFilters() throws Exception {
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String json = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                    .replace("CICS-2026-0001", "LIST-" + UUID.randomUUID()).replace("m2n6k1", i % 2 == 0 ? "M9W1A1" : "M5V3L9");
            mine.add(agencies.postJson(AGENCY_KEYS.get("cics"), json).body().get("referralId").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = agencies.get("/v1/referrals?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    AGENCY_KEYS.get("cics")).body();
            assertThat(page.get("referrals").size()).isLessThanOrEqualTo(2);
            page.get("referrals").forEach(r -> seen.add(r.get("referralId").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(seen).doesNotHaveDuplicates().containsAll(mine);
        List<String> receivedTimes = new ArrayList<>();
        agencies.get("/v1/referrals?limit=100", AGENCY_KEYS.get("cics")).body().get("referrals")
                .forEach(r -> receivedTimes.add(r.get("receivedAt").asText()));
        assertThat(receivedTimes).as("newest first").isSortedAccordingTo(Comparator.reverseOrder());

        JsonNode toHumber = agencies.get("/v1/referrals?limit=100&partner=humber", AGENCY_KEYS.get("cics")).body();
        assertThat(toHumber.get("referrals").findValuesAsText("partnerId")).isNotEmpty().containsOnly("humber");
        JsonNode requested = agencies.get("/v1/referrals?limit=100&status=requested&from=2020-01-01", AGENCY_KEYS.get("cics")).body();
        assertThat(requested.get("referrals").findValuesAsText("status")).containsOnly("requested");

        JsonNode theirs = agencies.get("/v1/referrals?limit=100", AGENCY_KEYS.get("times-change")).body();
        assertThat(theirs.get("referrals").findValuesAsText("referralId")).doesNotContainAnyElementsOf(mine);
        String cicsCursor = agencies.get("/v1/referrals?limit=1", AGENCY_KEYS.get("cics")).body().get("next").asText();
        assertThat(agencies.get("/v1/referrals?cursor=" + cicsCursor, AGENCY_KEYS.get("times-change")).status())
                .as("another agency's cursor").isEqualTo(400);
        assertThat(agencies.get("/v1/referrals?limit=500", AGENCY_KEYS.get("cics")).status()).isEqualTo(400);
        assertThat(agencies.get("/v1/referrals", null).status()).isEqualTo(401);
    }

    @Test
    void aPartnerReportsInAStatusFileOverSftpAndGetsAResultsFileBack() throws Exception {
        // humber takes referrals by webhook and reports in files: its login on the hub's SFTP server
        var login = CanonicalJson.MAPPER.createObjectNode();
        login.putObject("sftp").put("username", "humber-status").put("password", "humber status files");
        hub.hub().services().administration().patch(Administration.Kind.PARTNERS, "humber", login, "test", null);
        String ok = delivered("cics", "M9W 1A1");          // etobicoke-north: humber
        String other = delivered("tropicana", "M5V 3L9");  // jobstart's, not humber's
        String csv = "Referral ID,Status,Business Status,Reason,Date\n"
                + ok + ",,contacted,," + LocalDate.now(ZoneOffset.UTC) + "\n"   // a date after the referral
                + ok + ",,registered,,\n"
                + other + ",accepted,,,\n"
                + ok + ",requested,,,\n";
        try (SftpAgency costi = SftpAgency.withPassword(hub, "humber-status", "humber status files")) {
            costi.upload("status/outcomes.csv", csv.getBytes(StandardCharsets.UTF_8));
            String results = await(() -> {
                try {
                    return costi.list("results").contains("outcomes.csv.results.csv")
                            ? new String(costi.download("results/outcomes.csv.results.csv"), StandardCharsets.UTF_8) : "";
                } catch (IOException e) {
                    return "";
                }
            }, r -> !r.isEmpty());
            List<String> lines = results.lines().toList();
            assertThat(lines.get(1)).startsWith("2,accepted," + ok + ",accepted/contacted");
            assertThat(lines.get(2)).startsWith("3,accepted," + ok + ",in-progress/registered");
            assertThat(lines.get(3)).startsWith("4,rejected," + other + ",,You have no referral with this id.");
            assertThat(lines.get(4)).startsWith("5,rejected," + ok + ",,A partner cannot move a referral back to requested.");
            assertThat(costi.list("status")).doesNotContain("outcomes.csv");
        }
        assertThat(agencies.get("/v1/referrals/" + ok, AGENCY_KEYS.get("cics")).body().get("businessStatus").asText())
                .isEqualTo("registered");
        assertThat(agencies.get("/v1/referrals/" + other, AGENCY_KEYS.get("tropicana")).body().get("status").asText())
                .isEqualTo("requested");
    }

    @Test
    void aPartnerThatReadsAnInboxReportsWithTheSignedLinksOfItsDeliveryEmail() throws Exception {
        String id = delivered("cics", "M2N 6K1");   // north-york: jvs-toronto, an e-mail partner
        var messages = await(() -> hub.mailTo("intake@jvstoronto.example"), l -> l.stream().anyMatch(m -> {
            try {
                return m.getSubject().contains(id);
            } catch (Exception e) {
                return false;
            }
        }));
        var message = messages.stream().filter(m -> {
            try {
                return m.getSubject().contains(id);
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow();
        String text = message.getContent() instanceof Multipart multipart
                ? String.valueOf(multipart.getBodyPart(0).getContent()) : String.valueOf(message.getContent());
        Matcher link = Pattern.compile("registered: (\\S+)").matcher(text);
        assertThat(link.find()).as(text).isTrue();
        URI url = URI.create(link.group(1));
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<form method=\"post\">").contains("registered");
        assertThat(agencies.get("/v1/referrals/" + id, AGENCY_KEYS.get("cics")).body().get("status").asText())
                .as("opening the link changes nothing").isEqualTo("requested");

        HttpResponse<String> done = HTTP.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Thank you");
        JsonNode referral = agencies.get("/v1/referrals/" + id, AGENCY_KEYS.get("cics")).body();
        assertThat(referral.get("businessStatus").asText()).isEqualTo("registered");
        assertThat(referral.get("statusHistory").findValuesAsText("by")).contains("partner:jvs-toronto");

        String address = url.toString();
        int at = address.length() - 10;   // a character well inside the signature
        String forged = address.substring(0, at) + (address.charAt(at) == 'A' ? 'B' : 'A') + address.substring(at + 1);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(forged)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(410);
    }
}
