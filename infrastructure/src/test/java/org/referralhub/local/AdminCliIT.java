package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.cli.AdminCli;

/**
 * The README's walk-through, with the real command line against a running local hub: onboard an agency and a
 * partner, try a sample file, add a routing rule, and the agency's next referral reaches the partner.
 */
class AdminCliIT {

    @TempDir
    static Path data;
    private static LocalHub hub;

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private record Run(int exit, String out, String err) {
    }

    /** Runs the command line with writers over byte streams, buffered as {@code main}'s over System.out are. */
    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--hub", hub.baseUrl(), "--token", LocalHub.demoAdminToken()));
        all.addAll(List.of(args));
        int exit = AdminCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String secret(String output, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": (\\S+)$").matcher(output);
        assertThat(m.find()).as(name + " shown once in:\n" + output).isTrue();
        return m.group(1);
    }

    @Test
    void anAdministratorOnboardsAnAgencyAndAPartnerAndRoutesTheNextReferral() throws Exception {
        Path agency = data.resolve("agency.yaml");
        Files.writeString(agency, """
                id: scarborough-welcome
                name: Scarborough Welcome Centre
                program: mentoring-partnership
                webhookMapping: crm-flat-v1
                fileMapping: csv-en-v1
                """);
        Run created = cli("agencies", "create", "--file", agency.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("id: \"scarborough-welcome\"");
        String key = secret(cli("agencies", "create-key", "scarborough-welcome").out(), "apiKey");

        Path partner = data.resolve("partner.yaml");
        Files.writeString(partner, """
                id: eastside-mentors
                name: Eastside Mentors
                languages: [en, ta]
                serviceArea: [M1]
                capacity: { status: accepting, monthlyQuota: 40 }
                intake:
                  channel: webhook
                  url: "%s/sandbox/partners/eastside-mentors/webhook"
                """.formatted(hub.baseUrl()));
        Run partnerCreated = cli("partners", "create", "-f", partner.toString());
        assertThat(partnerCreated.exit()).as(partnerCreated.err()).isZero();
        assertThat(secret(partnerCreated.out(), "signingSecret")).startsWith("whsec_");
        assertThat(cli("partners", "list").out()).contains("eastside-mentors").contains("Eastside Mentors  [accepting]");

        Path sample = data.resolve("sample.csv");
        Files.writeString(sample, "Reference,First Name,Last Name,Email,Postal Code,Arrival Date,Years of Experience,English Level,Consent\n"
                + "SW-1,Priya,Raman,priya@example.in,M1B 2K3,2024-05-01,6,8,Signed\n");
        Run tried = cli("sandbox", "--agency", "scarborough-welcome", sample.toString());
        assertThat(tried.exit()).isZero();
        assertThat(tried.out()).contains("row 2").contains("acces-employment").contains("scarborough")
                .contains("1 would be accepted, 0 refused");

        Run refused = cli("rules", "create", "--set", "id=scarborough-welcome-east", "--set", "agencies=[\"scarborough-welcome\"]",
                "--set", "partner=nobody");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("routing rule 'scarborough-welcome-east' names partner 'nobody', which does not exist");

        Run rule = cli("rules", "create", "--set", "id=scarborough-welcome-east", "--set", "agencies=[\"scarborough-welcome\"]",
                "--set", "partners=[\"eastside-mentors\"]", "--set", "position=0");
        assertThat(rule.exit()).as(rule.err()).isZero();
        assertThat(cli("rules", "list").out()).contains("scarborough-welcome-east").contains("-> [\"eastside-mentors\"]");
        assertThat(cli("sandbox", "-a", "scarborough-welcome", sample.toString()).out()).contains("eastside-mentors");

        String flat = "{\"Case ID\":\"SW-" + UUID.randomUUID() + "\",\"First Name\":\"Priya\",\"Last Name\":\"Raman\","
                + "\"Email\":\"priya@example.in\",\"Postal Code\":\"M1B 2K3\",\"Landing Date\":\"05/01/2024\","
                + "\"Years of Experience\":\"6\",\"CLB\":\"8\",\"Consent to Refer\":\"Y\"}";
        HubClient agencyClient = new HubClient(hub.baseUrl());
        HubClient.Reply accepted = agencyClient.postJson(key, flat);
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().get("referralId").asText();
        JsonNode delivered = agencyClient.awaitReferral(id, key, r -> "delivered".equals(r.at("/delivery/state").asText()),
                Duration.ofSeconds(20));
        assertThat(delivered.at("/routing/partnerId").asText()).isEqualTo("eastside-mentors");

        Run history = cli("referral", id);
        assertThat(history.exit()).isZero();
        assertThat(history.out()).contains("routed   to eastside-mentors by rule scarborough-welcome-east")
                .contains("requested").contains("attempt 1: delivered");
        Run audit = cli("config", "history", "--limit", "5");
        assertThat(audit.out()).contains("program-admin").contains("created routing rule 'scarborough-welcome-east'")
                .contains("created partner 'eastside-mentors'");
        assertThat(audit.out() + cli("config", "export").out()).doesNotContain(key).doesNotContain("whsec_");
    }

    @Test
    void updatesMoveAndDeleteAreThinCallsWithHelpAndExitCodes() {
        Run full = cli("partners", "update", "jobstart", "--set", "capacity.status=full");
        assertThat(full.exit()).as(full.err()).isZero();
        assertThat(full.out()).contains("status: \"full\"");
        assertThat(cli("partners", "update", "jobstart", "--set", "capacity.status=accepting").exit()).isZero();
        assertThat(cli("rules", "move", "scarborough", "0").exit()).isZero();
        assertThat(cli("rules", "list").out().lines().skip(1).findFirst().orElseThrow()).startsWith("scarborough ");
        assertThat(cli("rules", "move", "scarborough", "5").exit()).isZero();
        assertThat(cli("agencies", "list").out()).containsPattern("\\d+ agencies");
        assertThat(cli("agencies", "show", "nobody").exit()).isEqualTo(1);
        assertThat(cli("agencies", "show").exit()).as("usage").isEqualTo(2);
        Run help = cli("agencies", "--help");
        assertThat(help.out()).contains("rotate-key").contains("--set");
        assertThat(cli("programs", "list", "-o", "json").out()).contains("\"minEnglishLevel\" : 7");
        assertThat(new String(help.out().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).contains("list");
    }
}
