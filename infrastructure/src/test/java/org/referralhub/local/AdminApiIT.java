package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.config.ApiKeys;

/**
 * Administrators onboard agencies and partners, manage keys and route referrals through the admin API of a running
 * local hub; what they change is in force for the very next referral.
 */
class AdminApiIT {

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static AdminClient admin;
    private static HubClient agencies;

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300));
        admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
        agencies = new HubClient(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** The canonical sample, as a new client of the agency (a fresh reference), living at the postal code. */
    private static String referral(String postalCode) throws Exception {
        return new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                .replace("CICS-2026-0001", "REF-" + UUID.randomUUID()).replace("m2n6k1", postalCode);
    }

    private static String createKey(String agency, String path) throws Exception {
        AdminClient.Reply created = admin.send("POST", "/agencies/" + agency + path, "{}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().at("/secrets/apiKey").asText();
    }

    @Test
    void anAgencyIsCreatedShownChangedAndDeletedEachChangeANewVersion() throws Exception {
        AdminClient.Reply created = admin.send("POST", "/agencies",
                "{\"id\":\"welcome-centre\",\"name\":\"Welcome Centre\",\"program\":\"mentoring-partnership\","
                        + "\"email\":{\"senders\":[\"@welcome.example\"]},\"sftp\":{\"username\":\"welcome-centre\",\"password\":\"a long sftp password\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().at("/sftp/passwordHash").asText()).isEqualTo("********");
        long version = created.version();

        assertThat(admin.get("/agencies").body().findValuesAsText("id")).contains("cics", "welcome-centre");
        AdminClient.Reply renamed = admin.send("PATCH", "/agencies/welcome-centre", "{\"name\":\"Welcome Centre West\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.version()).isEqualTo(version + 1);
        assertThat(admin.get("/agencies/welcome-centre").body().get("name").asText()).isEqualTo("Welcome Centre West");
        assertThat(admin.get("/agencies/welcome-centre").body().at("/sftp/passwordHash").asText())
                .as("the password is kept when not sent").isEqualTo("********");

        AdminClient.Reply refused = admin.send("PATCH", "/agencies/welcome-centre", "{\"program\":\"nope\",\"webhookMapping\":\"missing\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("type").asText()).isEqualTo("/problems/invalid-configuration");
        assertThat(refused.body().get("problems").toString())
                .contains("agency 'welcome-centre' refers to program 'nope', which does not exist")
                .contains("agency 'welcome-centre' uses mapping 'missing', which does not exist");
        assertThat(admin.get("/agencies/welcome-centre").version()).as("nothing was saved").isEqualTo(version + 1);

        assertThat(admin.send("POST", "/agencies", "{\"id\":\"welcome-centre\",\"program\":\"mentoring-partnership\"}").status())
                .isEqualTo(409);
        assertThat(admin.send("PATCH", "/agencies/welcome-centre", "{\"apiKeyHashes\":[\"" + "a".repeat(64) + "\"]}").status())
                .as("keys are made by the hub").isEqualTo(400);
        assertThat(admin.send("DELETE", "/agencies/welcome-centre", null).status()).isEqualTo(200);
        assertThat(admin.get("/agencies/welcome-centre").status()).isEqualTo(404);
    }

    @Test
    void aRotatedKeyWorksAtOnceAndTheOldOneStopsWorking() throws Exception {
        assertThat(admin.send("POST", "/agencies", "{\"id\":\"rotation-agency\",\"name\":\"Rotation\","
                + "\"program\":\"mentoring-partnership\"}").status()).isEqualTo(201);
        String first = createKey("rotation-agency", "/keys");
        assertThat(first).startsWith("rhk_rotation-agency_");
        assertThat(agencies.postJson(first, referral("M5V 3L9")).status()).isEqualTo(202);

        String second = createKey("rotation-agency", "/keys/rotate");
        assertThat(agencies.postJson(first, referral("M5V 3L9")).status()).as("old key").isEqualTo(401);
        assertThat(agencies.postJson(second, referral("M5V 3L9")).status()).as("new key").isEqualTo(202);

        AdminClient.Reply keys = admin.get("/agencies/rotation-agency/keys");
        String keyId = keys.body().at("/apiKeys/0").asText();
        assertThat(keyId).isEqualTo(ApiKeys.hash(second).substring(0, 12));
        String everything = admin.get("/agencies/rotation-agency").text() + keys.text() + admin.get("/config").text()
                + admin.get("/config/versions?limit=100").text();
        assertThat(everything).doesNotContain(second).doesNotContain(ApiKeys.hash(second))
                .doesNotContain(first).doesNotContain(ApiKeys.hash(first));

        assertThat(admin.send("DELETE", "/agencies/rotation-agency/keys/" + keyId, null).status()).isEqualTo(200);
        assertThat(agencies.postJson(second, referral("M5V 3L9")).status()).as("revoked").isEqualTo(401);
    }

    @Test
    void aNewAgencyAndPartnerWithARoutingRuleCarryTheNextReferral() throws Exception {
        AdminClient.Reply partner = admin.send("POST", "/partners", "{\"id\":\"riverdale-mentors\",\"name\":\"Riverdale Mentors\","
                + "\"intake\":{\"channel\":\"webhook\",\"url\":\"" + hub.baseUrl() + "/sandbox/partners/riverdale-mentors/webhook\"},"
                + "\"serviceArea\":[\"M4\"],\"capacity\":{\"status\":\"accepting\",\"monthlyQuota\":100}}");
        assertThat(partner.status()).isEqualTo(201);
        String secret = partner.body().at("/secrets/signingSecret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(admin.get("/partners/riverdale-mentors").body().at("/intake/signingSecret").asText()).isEqualTo("********");
        assertThat(admin.get("/partners/riverdale-mentors").text()).doesNotContain(secret);

        assertThat(admin.send("POST", "/agencies", "{\"id\":\"east-end-settlement\",\"name\":\"East End Settlement\","
                + "\"program\":\"mentoring-partnership\"}").status()).isEqualTo(201);
        String key = createKey("east-end-settlement", "/keys");

        AdminClient.Reply ghost = admin.send("POST", "/routing/rules",
                "{\"id\":\"east-end\",\"agencies\":[\"east-end-settlement\"],\"partner\":\"ghost\"}");
        assertThat(ghost.status()).isEqualTo(422);
        assertThat(ghost.body().get("problems").get(0).asText())
                .isEqualTo("routing rule 'east-end' names partner 'ghost', which does not exist");
        AdminClient.Reply unreachable = admin.send("POST", "/routing/rules",
                "{\"id\":\"east-end-fr\",\"agencies\":[\"polycultural\"],\"languages\":[\"fr\"],\"partner\":\"riverdale-mentors\"}");
        assertThat(unreachable.status()).isEqualTo(422);
        assertThat(unreachable.body().get("problems").get(0).asText()).contains("can never be reached")
                .contains("'jobstart-pilot-agencies'");

        AdminClient.Reply rule = admin.send("POST", "/routing/rules",
                "{\"id\":\"east-end\",\"agencies\":[\"east-end-settlement\"],\"partners\":[\"riverdale-mentors\"],\"position\":0}");
        assertThat(rule.status()).isEqualTo(201);
        assertThat(admin.get("/routing").body().at("/rules/0/id").asText()).isEqualTo("east-end");

        HubClient.Reply accepted = agencies.postJson(key, referral("M4K 1N2"));
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().get("referralId").asText();
        JsonNode delivered = agencies.awaitReferral(id, key, r -> "delivered".equals(r.at("/delivery/state").asText()),
                Duration.ofSeconds(20));
        assertThat(delivered.at("/routing/partnerId").asText()).isEqualTo("riverdale-mentors");
        assertThat(delivered.at("/routing/ruleId").asText()).isEqualTo("east-end");
        JsonNode received = agencies.get("/sandbox/partners/riverdale-mentors/deliveries", null).body();
        assertThat(received.toString()).contains(id);

        // the partner is full: the rule's only partner is passed over and the fallback takes the referral
        assertThat(admin.send("PATCH", "/partners/riverdale-mentors", "{\"capacity\":{\"status\":\"full\"}}").status())
                .isEqualTo(200);
        JsonNode overflow = agencies.get("/v1/referrals/" + agencies.postJson(key, referral("M4K 1N2")).body()
                .get("referralId").asText(), key).body();
        assertThat(overflow.at("/routing/partnerId").asText()).isEqualTo("acces-employment");
        assertThat(overflow.at("/routing/ruleId").asText()).isEqualTo("fallback");
        assertThat(overflow.at("/routing/passedOver/0").asText()).isEqualTo("riverdale-mentors (east-end): full");
    }

    @Test
    void programEligibilityRulesApplyToTheNextReferralWithReasons() throws Exception {
        assertThat(admin.send("POST", "/programs", "{\"id\":\"senior-professionals\",\"name\":\"Senior professionals\","
                + "\"eligibility\":{\"consentRequired\":true,\"minYearsOfExperience\":10,\"minEnglishLevel\":9}}").status())
                .isEqualTo(201);
        assertThat(admin.send("POST", "/agencies", "{\"id\":\"seniors-desk\",\"name\":\"Seniors desk\","
                + "\"program\":\"senior-professionals\"}").status()).isEqualTo(201);
        String key = createKey("seniors-desk", "/keys");
        HubClient.Reply reply = agencies.postJson(key, referral("M5V 3L9"));
        JsonNode stored = agencies.get("/v1/referrals/" + reply.body().get("referralId").asText(), key).body();
        assertThat(stored.get("status").asText()).isEqualTo("rejected");
        assertThat(stored.at("/screening/reasons").findValuesAsText("code"))
                .containsExactlyInAnyOrder("not-enough-experience", "english-level-too-low");
        assertThat(admin.send("PATCH", "/programs/senior-professionals", "{\"eligibility\":{\"minEnglishLevel\":\"high\"}}")
                .status()).isEqualTo(422);
    }

    @Test
    void mappingsAreResourcesAndTheSandboxTriesOneBeforeItIsSaved() throws Exception {
        String sample = "{\"ref\":\"X-1\",\"who\":{\"given\":\"Li\",\"family\":\"Wei\"},\"mail\":\"li.wei@example.cn\",\"ok\":true}";
        String mapping = "{\"fields\":{\"source.agencyReference\":{\"from\":\"ref\"},\"client.firstName\":{\"from\":\"who.given\"},"
                + "\"client.lastName\":{\"from\":\"who.family\"},\"client.email\":{\"from\":\"mail\"},\"consent.given\":{\"from\":\"ok\"}}}";
        AdminClient.Reply tried = admin.send("POST", "/sandbox", "{\"agencyId\":\"cics\",\"channel\":\"webhook\","
                + "\"content\":" + TextNode.valueOf(sample) + ","
                + "\"mapping\":\"cics-crm-v2\",\"proposed\":{\"mappings\":{\"cics-crm-v2\":" + mapping + "}}}");
        assertThat(tried.status()).isEqualTo(200);
        assertThat(tried.body().at("/referrals/0/referral/client/lastName").asText()).isEqualTo("Wei");
        assertThat(admin.get("/mappings/cics-crm-v2").status()).as("not saved").isEqualTo(404);

        String canonical = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8);
        AdminClient.Reply proposedRules = admin.send("POST", "/sandbox", "{\"agencyId\":\"cics\",\"channel\":\"webhook\","
                + "\"content\":" + TextNode.valueOf(canonical) + ","
                + "\"proposed\":{\"routing\":{\"rules\":[{\"id\":\"cics-to-humber\",\"agencies\":[\"cics\"],"
                + "\"partner\":\"humber\"}],\"fallbackPartner\":\"acces-employment\"}}}");
        assertThat(proposedRules.body().at("/referrals/0/referral/routing/partnerId").asText()).isEqualTo("humber");
        assertThat(proposedRules.body().at("/referrals/0/referral/routing/ruleId").asText()).isEqualTo("cics-to-humber");
        AdminClient.Reply brokenProposal = admin.send("POST", "/sandbox", "{\"agencyId\":\"cics\",\"channel\":\"webhook\","
                + "\"content\":\"{}\",\"proposed\":{\"routing\":{\"rules\":[{\"id\":\"x\",\"partner\":\"ghost\"}]}}}");
        assertThat(brokenProposal.status()).isEqualTo(422);
        assertThat(brokenProposal.body().get("problems").get(0).asText()).contains("'ghost', which does not exist");

        AdminClient.Reply bad = admin.send("POST", "/mappings", "{\"id\":\"cics-crm-v3\",\"fields\":{\"client.shoeSize\":{\"from\":\"s\"}}}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("problems").toString()).contains("'client.shoeSize', which is not a canonical field");
        assertThat(admin.send("POST", "/mappings", "{\"id\":\"cics-crm-v2\"," + mapping.substring(1)).status()).isEqualTo(201);
        assertThat(admin.send("PATCH", "/agencies/cics", "{\"webhookMapping\":\"cics-crm-v2\"}").status()).isEqualTo(200);
        HubClient.Reply live = agencies.postJson(LocalHub.demoKeys().get("cics"), sample.replace("X-1", "X-" + UUID.randomUUID()));
        assertThat(live.status()).isEqualTo(202);
        assertThat(admin.send("PATCH", "/agencies/cics", "{\"webhookMapping\":\"canonical\"}").status()).isEqualTo(200);
        assertThat(admin.get("/referrals/" + live.body().get("referralId").asText()).body().at("/client/lastName").asText())
                .isEqualTo("Wei");
    }

    @Test
    void onlyAdministratorsGetInAndAStaleChangeIsRefused() throws Exception {
        assertThat(new AdminClient(hub.baseUrl(), null).get("/agencies").status()).isEqualTo(401);
        assertThat(new AdminClient(hub.baseUrl(), LocalHub.demoKeys().get("cics")).get("/agencies").status()).isEqualTo(401);
        long version = admin.get("/config").version();
        AdminClient.Reply stale = admin.send("PATCH", "/partners/humber", "{\"name\":\"Humber\"}", version - 1);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(admin.get("/nothing-here").status()).isEqualTo(404);
        assertThat(admin.send("PATCH", "/agencies/cics", "not json").status()).isEqualTo(400);
    }

    @Test
    void anAgencyAddedByAnAdministratorDropsFilesOverSftpAtOnce() throws Exception {
        assertThat(admin.send("POST", "/agencies", "{\"id\":\"harbourfront\",\"name\":\"Harbourfront\","
                + "\"program\":\"mentoring-partnership\",\"fileMapping\":\"csv-en-v1\","
                + "\"sftp\":{\"username\":\"harbourfront\",\"password\":\"harbourfront sftp pass\"}}").status()).isEqualTo(201);
        String ref = "HF-" + UUID.randomUUID();
        try (SftpAgency agency = SftpAgency.withPassword(hub, "harbourfront", "harbourfront sftp pass")) {
            agency.upload("inbound/first.csv", ("Reference,First Name,Last Name,Email,Consent\n" + ref
                    + ",Ana,Lima,ana@example.br,Signed\n").getBytes(StandardCharsets.UTF_8));
            Instant deadline = Instant.now().plusSeconds(20);
            while (!agency.list("results").contains("first.csv.results.csv") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(new String(agency.download("results/first.csv.results.csv"), StandardCharsets.UTF_8))
                    .contains("accepted");
        }
        assertThat(admin.send("PATCH", "/agencies/harbourfront", "{\"sftp\":{\"password\":\"a new sftp password\"}}")
                .status()).isEqualTo(200);
        Assertions.assertThatThrownBy(() -> SftpAgency.withPassword(hub, "harbourfront",
                "harbourfront sftp pass").close()).as("the old password stops working").isInstanceOf(Exception.class);
    }

    @Test
    void aRoundRobinRuleSharesLiveReferralsFairlyOneByOneAndWithinAFile() throws Exception {
        for (String p : List.of("rr-one", "rr-two", "rr-three")) {
            assertThat(admin.send("POST", "/partners", "{\"id\":\"" + p + "\",\"name\":\"" + p + "\","
                    + "\"intake\":{\"channel\":\"webhook\",\"url\":\"" + hub.baseUrl() + "/sandbox/partners/" + p + "/webhook\"}}")
                    .status()).isEqualTo(201);
        }
        assertThat(admin.send("POST", "/agencies", "{\"id\":\"rr-agency\",\"name\":\"Round robin\","
                + "\"program\":\"mentoring-partnership\",\"fileMapping\":\"csv-en-v1\","
                + "\"sftp\":{\"username\":\"rr-agency\",\"password\":\"round robin password\"}}").status()).isEqualTo(201);
        assertThat(admin.send("POST", "/routing/rules", "{\"id\":\"rr\",\"agencies\":[\"rr-agency\"],"
                + "\"partners\":[\"rr-one\",\"rr-two\",\"rr-three\"],\"strategy\":\"round-robin\",\"position\":0}")
                .status()).isEqualTo(201);
        String key = createKey("rr-agency", "/keys");
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 9; i++) {
            counts.merge(agencies.postJson(key, referral("M5V 3L9")).body().get("partnerId").asText(), 1, Integer::sum);
        }
        assertThat(counts).isEqualTo(Map.of("rr-one", 3, "rr-three", 3, "rr-two", 3));

        StringBuilder csv = new StringBuilder("Reference,First Name,Last Name,Email,Arrival Date,Years of Experience,CLB,Consent\n");
        for (int i = 0; i < 9; i++) {
            csv.append("RR-").append(UUID.randomUUID()).append(",Ana,Lima,ana").append(i)
                    .append("@example.br,2025-02-01,7,8,Signed\n");
        }
        try (SftpAgency agency = SftpAgency.withPassword(hub, "rr-agency", "round robin password")) {
            agency.upload("inbound/rr.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
            Instant deadline = Instant.now().plusSeconds(20);
            while (!agency.list("results").contains("rr.csv.results.csv") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            String results = new String(agency.download("results/rr.csv.results.csv"), StandardCharsets.UTF_8);
            for (String line : results.lines().skip(1).toList()) {
                String id = line.split(",")[2];
                counts.merge(admin.get("/referrals/" + id).body().at("/routing/partnerId").asText(), 1, Integer::sum);
            }
        }
        assertThat(counts).as("a file's rows spread as they would one by one")
                .isEqualTo(Map.of("rr-one", 6, "rr-three", 6, "rr-two", 6));
    }

    @Test
    void administratorsSearchReferralsReadTheDaysActivityAndTheRawPayloadOthersCannot() throws Exception {
        String body = referral("M5V 3L9");
        String id = agencies.postJson(LocalHub.demoKeys().get("cics"), body).body().get("referralId").asText();

        AdminClient.Reply found = admin.get("/referrals?agency=cics&status=requested&limit=500");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("referrals")).anySatisfy(r -> {
            assertThat(r.get("referralId").asText()).isEqualTo(id);
            assertThat(r.get("channel").asText()).isEqualTo("webhook");
            assertThat(r.has("client")).as("no client details in a list").isFalse();
        });
        assertThat(admin.get("/referrals?agency=tropicana").body().get("referrals"))
                .noneSatisfy(r -> assertThat(r.get("referralId").asText()).isEqualTo(id));
        assertThat(admin.get("/referrals?status=nonsense").status()).isEqualTo(400);

        AdminClient.Reply activity = admin.get("/reports/activity");
        assertThat(activity.body().at("/today/total").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(activity.body().at("/today/byChannel/webhook").asInt()).isGreaterThanOrEqualTo(1);

        AdminClient.Reply raw = admin.get("/referrals/" + id + "/raw");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(new String(Base64.getDecoder().decode(raw.body().get("contentBase64").asText()),
                StandardCharsets.UTF_8)).isEqualTo(body);

        // a payload too large for a Lambda's answer is named, not sent (here: its archived copy grown past 4 MB)
        Path archived = Path.of(URI.create(
                admin.get("/referrals/" + id).body().at("/source/rawPayloadRef").asText()));
        Files.write(archived, new byte[5 * 1024 * 1024]);
        AdminClient.Reply tooLarge = admin.get("/referrals/" + id + "/raw");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.body().get("detail").asText()).contains(archived.getFileName().toString());

        // not for agencies, nor without a token
        AdminClient stranger = new AdminClient(hub.baseUrl(), LocalHub.demoKeys().get("cics"));
        assertThat(stranger.get("/referrals/" + id + "/raw").status()).isEqualTo(401);
        assertThat(stranger.get("/referrals?agency=cics").status()).isEqualTo(401);
    }
}
