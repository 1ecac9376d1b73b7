package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;

/**
 * The repair, as a newcomer lives it: a French file whose English-level column the mapping does not know is answered
 * with the column named and its clients held; the administrator teaches the mapping the column; the agency sends the
 * same file again — and the same clients, under their first referral ids, are now read, routed and delivered, once.
 */
class MappingRepairIT {

    @TempDir
    Path data;

    @Test
    void afterTheMappingIsFixedTheSameFileSentAgainDeliversTheHeldClientsUnderTheirIdsOnce() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300))) {
            AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
            HubClient http = new HubClient(hub.baseUrl());
            String run = UUID.randomUUID().toString().substring(0, 8);
            String csv = "Dossier;Prénom;Nom;Courriel;Téléphone;Langue;Code postal;Date d'arrivée;Années d'expérience;"
                    + "Niveau CLB;Consentement\r\n"
                    + "MR-" + run + "-1;Aimée;Diallo;aimee." + run + "@exemple.ca;416 555 0101;Français;m5v3l9;15/03/2024;9;8;Oui\r\n"
                    + "MR-" + run + "-2;Karim;Haddad;karim." + run + "@exemple.ca;416 555 0102;Français;m5v3l9;01/02/2023;12;9;Oui\r\n";
            byte[] file = csv.getBytes(StandardCharsets.UTF_8);
            try (SftpAgency agency = SftpAgency.withPassword(hub, "college-boreal",
                    LocalHub.demoSftpPasswords().get("college-boreal"))) {
                agency.upload("inbound/semaine-" + run + ".csv", file);
            }
            List<CSVRecord> first = records(SftpAgency.awaitResults(hub, "college-boreal", "semaine-" + run + ".csv"));
            assertThat(first).extracting(r -> r.get("outcome")).containsExactly("held", "held", "not-read");
            List<String> ids = List.of(first.get(0).get("referralId"), first.get(1).get("referralId"));

            // the administrator teaches the mapping the agency's column
            assertThat(admin.send("PATCH", "/mappings/csv-fr-v1", """
                    {"fields": {"client.englishLevel": {"from": ["Niveau d'anglais", "NCLC", "Niveau CLB"]}}}
                    """).status()).isEqualTo(200);

            // the agency sends the same file again, under another name
            try (SftpAgency agency = SftpAgency.withPassword(hub, "college-boreal",
                    LocalHub.demoSftpPasswords().get("college-boreal"))) {
                agency.upload("inbound/semaine-" + run + "-encore.csv", file);
            }
            List<CSVRecord> again = records(SftpAgency.awaitResults(hub, "college-boreal", "semaine-" + run + "-encore.csv"));
            assertThat(again).extracting(r -> r.get("outcome")).containsExactly("accepted", "accepted");
            assertThat(again).extracting(r -> r.get("referralId")).containsExactlyElementsOf(ids);

            for (String id : ids) {
                JsonNode referral = http.awaitReferral(id, LocalHub.demoKeys().get("college-boreal"),
                        r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(30));
                assertThat(referral.at("/status").asText()).isEqualTo("requested");
                assertThat(referral.at("/client/englishLevel").asInt()).isGreaterThanOrEqualTo(8);
                assertThat(referral.at("/statusHistory").toString()).contains("hub:mapping");
            }
            List<String> stored = new ArrayList<>();
            hub.hub().services().store().forEachOfAgency("college-boreal", Instant.now().minusSeconds(600),
                    Instant.now().plusSeconds(60), r -> {
                        if (r.client().email() != null && r.client().email().contains(run)) {
                            stored.add(r.referralId());
                        }
                    });
            assertThat(stored).as("each client once").containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void afterTheMappingIsFixedAReplayedMessageDeliversItsHeldClientUnderItsIdOnce() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300))) {
            AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
            String run = UUID.randomUUID().toString().substring(0, 8);
            Properties smtp = new Properties();
            smtp.setProperty("mail.smtp.host", "127.0.0.1");
            smtp.setProperty("mail.smtp.port", Integer.toString(hub.smtpPort()));
            MimeMessage message = new MimeMessage(Session.getInstance(smtp));
            message.setFrom(new InternetAddress("coach@collegeboreal.example"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(LocalHub.HUB_ADDRESS));
            message.setSubject("Référence " + run, "UTF-8");
            message.setText("Prénom : Aimée\nNom : Diallo\nCourriel : aimee." + run + "@exemple.ca\n"
                    + "Date d'arrivée : 2024-03-15\nAnnées d'expérience : 9\nNiveau CLB : 8\nConsentement : oui\n", "UTF-8");
            Transport.send(message);

            JsonNode held = awaitQuarantined(admin, "held-for-mapping");
            String receipt = held.get("receiptId").asText();
            assertThat(held.get("detail").asText()).contains("Niveau CLB (probably client.englishLevel)");
            List<Referral> before = referrals(hub, run);
            assertThat(before).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(ReferralStatus.ON_HOLD));

            assertThat(admin.send("PATCH", "/mappings/email-form-v1", """
                    {"fields": {"client.englishLevel": {"from": ["English level", "CLB", "Niveau d'anglais", "NCLC", "Niveau CLB"]}}}
                    """).status()).isEqualTo(200);
            assertThat(admin.send("POST", "/quarantine/" + receipt + "/replay", null).status()).isEqualTo(200);

            String id = before.get(0).referralId();
            new HubClient(hub.baseUrl()).awaitReferral(id, LocalHub.demoKeys().get("college-boreal"),
                    r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(30));
            assertThat(referrals(hub, run)).as("the same client once, under its first id").singleElement()
                    .satisfies(r -> {
                        assertThat(r.referralId()).isEqualTo(id);
                        assertThat(r.status()).isEqualTo(ReferralStatus.REQUESTED);
                    });
        }
    }

    private static List<Referral> referrals(LocalHub hub, String run) {
        List<Referral> out = new ArrayList<>();
        hub.hub().services().store().forEachOfAgency("college-boreal", Instant.now().minusSeconds(600),
                Instant.now().plusSeconds(60), r -> {
                    if (r.client().email() != null && r.client().email().contains(run)) {
                        out.add(r);
                    }
                });
        return out;
    }

    private static JsonNode awaitQuarantined(AdminClient admin, String reason) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode q : admin.get("/quarantine").body().get("quarantined")) {
                if (reason.equals(q.path("reason").asText())) {
                    return q;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("nothing quarantined as " + reason);
    }

    private static List<CSVRecord> records(String results) throws Exception {
        try (CSVParser parser = CSVParser.parse(results, CSVFormat.RFC4180.builder().setHeader()
                .setSkipHeaderRecord(true).get())) {
            return parser.getRecords();
        }
    }
}
