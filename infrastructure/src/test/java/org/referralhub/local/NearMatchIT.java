package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.cli.AdminCli;
import org.referralhub.referral.CanonicalJson;

/**
 * A near match — the same name as an open referral, no contact in common — as an agency lives it on every channel:
 * by default a referral like any other; once its program holds near matches, held (not sent) with the earlier
 * referral named on the channel it came by — the webhook's answer, the results file, the e-mail reply — until the
 * agency (or an administrator for it) says another client (then routed and delivered) or the same one (then
 * cancelled, and the funnel counts the client once).
 */
class NearMatchIT {

    private static final Pattern HELD_ID = Pattern.compile("([0-9A-Z]{26}) - on-hold \\(near-match\\)");

    @TempDir
    Path data;

    @Test
    void aNearMatchIsHeldOnEveryChannelUntilItsAgencyAnswers() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300))) {
            HubClient http = new HubClient(hub.baseUrl());
            AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
            String key = LocalHub.demoKeys().get("cics");

            // by default, the same name with other contacts is a referral like any other
            JsonNode first = post(http, key, "Chidi", "Eze", "chidi.eze@example.org", "+1 416 555 0101");
            JsonNode namesake = post(http, key, "Chidi", "Eze", "c.eze@example.net", null);
            assertThat(namesake.get("duplicate").asBoolean()).isFalse();
            assertThat(namesake.get("status").asText()).isEqualTo("requested");
            assertThat(namesake.get("referralId").asText()).isNotEqualTo(first.get("referralId").asText());

            // the program holds near matches from now on
            assertThat(admin.send("PATCH", "/programs/mentoring-partnership", "{\"nearMatch\": \"hold\"}").status())
                    .isEqualTo(200);
            String earlier = post(http, key, "Ngozi", "Adeyemi", "ngozi@example.org", "+1 416 555 0102")
                    .get("referralId").asText();

            // webhook: held, the earlier referral named, nothing sent
            JsonNode held = post(http, key, "NGOZI", "Adéyemi", "n.adeyemi@example.net", "+1 647 555 0199");
            String heldId = held.get("referralId").asText();
            assertThat(held.get("duplicate").asBoolean()).isFalse();
            assertThat(held.get("status").asText()).isEqualTo("on-hold");
            assertThat(held.get("statusReason").asText()).isEqualTo("near-match");
            assertThat(held.get("deliveryState").asText()).isEqualTo("withheld");
            assertThat(held.get("partnerId").isNull()).isTrue();
            assertThat(held.at("/screening/reasons").toString()).contains(earlier).contains("/near-match");
            // the same client with a contact in common is still a duplicate, not a near match
            JsonNode repeat = post(http, key, "Ngozi", "Adeyemi", "NGOZI@example.org", null);
            assertThat(repeat.get("duplicate").asBoolean()).isTrue();
            assertThat(repeat.get("referralId").asText()).isEqualTo(earlier);

            // the agency says another client: routed and delivered; a second answer is refused
            HubClient.Reply answered = http.postWithKey("/v1/referrals/" + heldId + "/near-match", key,
                    "{\"answer\": \"another-client\"}");
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.body().get("status").asText()).isEqualTo("requested");
            assertThat(answered.body().get("deliveryState").asText()).isEqualTo("pending");
            http.awaitReferral(heldId, key, r -> "delivered".equals(r.at("/delivery/state").asText()),
                    Duration.ofSeconds(30));
            HubClient.Reply again = http.postWithKey("/v1/referrals/" + heldId + "/near-match", key,
                    "{\"answer\": \"same-client\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(http.postWithKey("/v1/referrals/" + heldId + "/near-match", key, "{\"answer\": \"maybe\"}")
                    .status()).isEqualTo(400);
            assertThat(http.postWithKey("/v1/referrals/" + heldId + "/near-match",
                    LocalHub.demoKeys().get("cet"), "{\"answer\": \"same-client\"}").status())
                    .as("another agency's referral").isEqualTo(404);

            // file: the row is held, the results file names the earlier referral; the agency says the same client
            String run = UUID.randomUUID().toString().substring(0, 8);
            String csv = "First Name,Last Name,Email,Phone,Postal Code,Arrival Date,Years of Experience,English Level,"
                    + "Consent\nNgozi,Adeyemi,ngozi.a@example.com,905-555-0123,M2N 6K1,2024-03-15,8,8,Signed\n";
            try (SftpAgency agency = SftpAgency.withPassword(hub, "cics", LocalHub.demoSftpPasswords().get("cics"))) {
                agency.upload("inbound/near-" + run + ".csv", csv.getBytes(StandardCharsets.UTF_8));
            }
            String results = SftpAgency.awaitResults(hub, "cics", "near-" + run + ".csv");
            Matcher row = Pattern.compile("\\n2,held,([0-9A-Z]{26}),on-hold,[^\\n]*" + earlier).matcher(results);
            assertThat(row.find()).as(results).isTrue();
            HubClient.Reply same = http.postWithKey("/v1/referrals/" + row.group(1) + "/near-match", key,
                    "{\"answer\": \"same-client\"}");
            assertThat(same.status()).isEqualTo(200);
            assertThat(same.body().get("status").asText()).isEqualTo("cancelled");
            assertThat(same.body().get("statusReason").asText()).isEqualTo("same-client");

            // e-mail: the coach's reply says it is held and why; an administrator answers for the agency
            String subject = "Referral " + run;
            send(hub, "joan.coach@cics.example", subject, """
                    First name: Ngozi
                    Last name: Adeyemi
                    Email: ngozi.work@example.ca
                    Postal code: M2N 6K1
                    Arrival date: 2024-03-15
                    Years of experience: 8
                    English level: CLB 8
                    Consent: yes
                    """);
            String reply = awaitReply(hub, "joan.coach@cics.example", subject);
            Matcher byMail = HELD_ID.matcher(reply);
            assertThat(byMail.find()).as(reply).isTrue();
            assertThat(reply).contains(earlier);
            // as an administrator would, with the command line
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = AdminCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "--hub", hub.baseUrl(),
                    "--token", LocalHub.demoAdminToken(), "referral", byMail.group(1), "--near-match", "another-client");
            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("is requested").contains("routed to");
            JsonNode forAgency = admin.get("/referrals/" + byMail.group(1)).body();
            assertThat(forAgency.get("status").asText()).isEqualTo("requested");
            assertThat(forAgency.at("/statusHistory").toString()).contains("admin:");

            // the funnel: the client the agency said was the same is counted once; nothing near-matched is rejected
            JsonNode funnel = admin.get("/reports/funnel?agency=cics").body().get("total");
            assertThat(funnel.get("received").asLong()).isEqualTo(5);
            assertThat(funnel.get("rejected").asLong()).isZero();
        }
    }

    private static JsonNode post(HubClient http, String key, String first, String last, String email, String phone)
            throws Exception {
        ObjectNode body = (ObjectNode) CanonicalJson.MAPPER.readTree(HubClient.sample("cics-canonical.json"));
        ((ObjectNode) body.get("source")).remove("agencyReference");
        ObjectNode client = (ObjectNode) body.get("client");
        client.put("firstName", first).put("lastName", last).put("email", email);
        if (phone == null) {
            client.remove("phone");
        } else {
            client.put("phone", phone);
        }
        HubClient.Reply reply = http.postJson(key, body.toString());
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(202);
        return reply.body();
    }

    private static void send(LocalHub hub, String from, String subject, String text) throws Exception {
        Properties smtp = new Properties();
        smtp.setProperty("mail.smtp.host", "127.0.0.1");
        smtp.setProperty("mail.smtp.port", Integer.toString(hub.smtpPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(smtp));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(LocalHub.HUB_ADDRESS));
        message.setSubject(subject, "UTF-8");
        message.setText(text, "UTF-8");
        Transport.send(message);
    }

    private static String awaitReply(LocalHub hub, String to, String subject) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            for (MimeMessage m : hub.mailTo(to)) {
                if (m.getSubject() != null && m.getSubject().contains(subject)) {
                    return String.valueOf(m.getContent());
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no reply to " + to + " about " + subject);
    }
}
