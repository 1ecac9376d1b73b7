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
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.logging.JsonLogger;
import org.referralhub.referral.CanonicalJson;

/**
 * The log audit: a run through every channel — webhook (valid, malformed, unparsable), SFTP files (valid rows, bad
 * rows, an unreadable file), e-mail (a form, a bad form, an unknown sender), a partner's status reports, the admin
 * sandbox and a delivery — with planted personal data, then every log line the hub wrote is read: each is one JSON
 * object, and none holds a planted name, e-mail address, phone number or birth date.
 */
class LogAuditIT {

    private static final String FIRST = "Zoltanplanted";
    private static final String LAST = "Quirkeplanted";
    private static final String EMAIL = "zoltan.planted.7731@example.org";
    private static final String PHONE = "416-555-7731";
    private static final String BIRTH = "1981-07-31";

    @TempDir
    Path data;

    @Test
    void noLogLineOfARunThroughEveryChannelHoldsPlantedPersonalData() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (AutoCloseable tee = JsonLogger.tee(lines::add);
             LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                     .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300)
                     .withConfigLocation(HubClient.fastRetryConfiguration(data)))) {
            HubClient http = new HubClient(hub.baseUrl());
            String key = LocalHub.demoKeys().get("cics");
            String run = UUID.randomUUID().toString().substring(0, 6);

            // webhook: valid (delivered to Humber), invalid values, not JSON at all
            String valid = referral("LOG-" + run + "-1", EMAIL, PHONE, BIRTH);
            String id = http.postJson(key, valid).body().get("referralId").asText();
            assertThat(http.postJson(key, referral("LOG-" + run + "-2", "not-an-email " + EMAIL + " x",
                    "phone " + PHONE + " abc", "31/07/1981 " + BIRTH)).status()).isEqualTo(400);
            assertThat(http.post(key, "application/json", ("{\"client\": {\"firstName\": \"" + FIRST + "\", "
                    + EMAIL).getBytes(StandardCharsets.UTF_8), null).status()).isEqualTo(400);
            http.awaitReferral(id, key, r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(30));

            // a partner reports, once with a reason that quotes the client
            String partnerKey = LocalHub.demoPartnerKeys().get("humber");
            http.postWithKey("/v1/partner/referrals/" + id + "/status", partnerKey,
                    "{\"status\":\"accepted\",\"reason\":\"spoke with " + FIRST + " " + LAST + " at " + PHONE + "\"}");
            http.postWithKey("/v1/partner/referrals/" + id + "/status", partnerKey,
                    "{\"status\":\"bogus-" + EMAIL + "\"}");

            // SFTP: a valid row, a row with bad values, and an unreadable file
            String csv = "Reference,First Name,Last Name,Email,Phone,Date of Birth,Postal Code,Consent\n"
                    + "LOG-" + run + "-3," + FIRST + "," + LAST + "," + EMAIL.replace("zoltan", "zoltan3") + "," + PHONE
                    + "," + BIRTH + ",M9W 1A1,Signed\n"
                    + "LOG-" + run + "-4," + FIRST + ",," + EMAIL + " bad," + PHONE + "x,31.07." + BIRTH + ",M9W 1A1,Signed\n";
            try (SftpAgency sftp = SftpAgency.withPassword(hub, "cics", LocalHub.demoSftpPasswords().get("cics"))) {
                sftp.upload("inbound/log-" + run + ".csv", csv.getBytes(StandardCharsets.UTF_8));
                sftp.upload("inbound/log-" + run + ".xlsx", (FIRST + " " + EMAIL).getBytes(StandardCharsets.UTF_8));
                awaitListed(sftp, "log-" + run + ".csv.results.csv");
                awaitListed(sftp, "log-" + run + ".xlsx.results.csv");
            }

            // e-mail: a form, a bad form, and a stranger
            mail(hub, "coach@cics.example", "First name: " + FIRST + "\nLast name: " + LAST + "\nEmail: "
                    + EMAIL.replace("zoltan", "zoltan5") + "\nPhone: " + PHONE + "\nDate of birth: " + BIRTH
                    + "\nPostal code: M9W 1A1\nConsent: yes\n");
            mail(hub, "coach@cics.example", "First name: " + FIRST + "\nEmail: " + EMAIL + " broken\nPhone: "
                    + PHONE + "\nConsent: yes\n");
            mail(hub, EMAIL, "First name: " + FIRST + "\nLast name: " + LAST + "\n");
            Instant deadline = Instant.now().plusSeconds(30);
            while (hub.mailTo("coach@cics.example").size() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(hub.mailTo("coach@cics.example")).hasSize(2);

            // the administrators' sandbox, with the same data
            AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
            var sample = CanonicalJson.MAPPER.createObjectNode().put("agencyId", "cics").put("channel", "webhook")
                    .put("content", valid);
            assertThat(admin.send("POST", "/sandbox", sample.toString()).status()).isEqualTo(200);
            Thread.sleep(1000);
        }

        // the run went through each door, failures included
        for (String event : List.of("stored", "delivered", "refused", "1 rejected", "unreadable", "problems",
                "quarantined", "sandbox run")) {
            assertThat(lines).as("a line about: " + event).anyMatch(l -> l.contains(event));
        }
        List<String> hits = new ArrayList<>();
        for (String line : lines) {
            JsonNode parsed = CanonicalJson.MAPPER.readTree(line);
            assertThat(parsed.isObject()).as("one JSON object a line: %s", line).isTrue();
            assertThat(parsed.has("time") && parsed.has("level") && parsed.has("message")).isTrue();
            String lower = line.toLowerCase(Locale.ROOT);
            for (String planted : List.of(FIRST, LAST, "zoltan.planted", "7731@example", PHONE, "4165557731", BIRTH)) {
                if (lower.contains(planted.toLowerCase(Locale.ROOT))) {
                    hits.add(planted + " in: " + line);
                }
            }
        }
        assertThat(hits).as("log lines holding planted personal data").isEmpty();
        assertThat(lines).as("lines carry a correlation id").anyMatch(l -> l.contains("\"correlationId\""));
    }

    private static String referral(String reference, String email, String phone, String birth) {
        return """
                {"source": {"agencyReference": "%s"},
                 "client": {"firstName": "%s", "lastName": "%s", "email": "%s", "phone": "%s", "birthDate": "%s",
                            "postalCode": "M9W 1A1", "arrivalDate": "2024-03-15", "yearsOfExperience": 8,
                            "englishLevel": 8, "profession": "Civil engineer"},
                 "consent": {"given": true}}""".formatted(reference, FIRST, LAST, email, phone, birth);
    }

    private static void awaitListed(SftpAgency sftp, String name) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!sftp.list("results").contains(name)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no " + name);
            }
            Thread.sleep(100);
        }
    }

    private static void mail(LocalHub hub, String from, String text) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(hub.smtpPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(p));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(LocalHub.HUB_ADDRESS));
        message.setSubject("Referral for " + FIRST + " " + LAST, "UTF-8");
        message.setText(text, "UTF-8");
        Transport.send(message);
    }
}
