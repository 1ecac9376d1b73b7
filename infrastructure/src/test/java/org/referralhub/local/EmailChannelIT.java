package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Coaches refer by e-mail to the local hub's real SMTP server, with MIME built by Jakarta Mail; they read the hub's
 * replies over IMAP, as their mail client would.
 */
class EmailChannelIT {

    private static final Map<String, String> KEYS = LocalHub.demoKeys();
    private static final Pattern REFERRAL_ID = Pattern.compile("\\b([0-7][0-9A-HJKMNP-TV-Z]{25})\\b");

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static HubClient http;
    private static String table;

    @BeforeAll
    static void start() throws Exception {
        table = "referrals-" + UUID.randomUUID();
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data).withTableName(table)
                .withConfigLocation(HubClient.fastRetryConfiguration(data)).withSweepMillis(300).withPullMillis(500));
        http = new HubClient(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static Session session() {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(hub.smtpPort()));
        p.setProperty("mail.imap.host", "127.0.0.1");
        p.setProperty("mail.imap.port", Integer.toString(hub.imapPort()));
        return Session.getInstance(p);
    }

    private static MimeMessage message(String from, String subject) throws Exception {
        MimeMessage message = new MimeMessage(session());
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(LocalHub.HUB_ADDRESS));
        message.setSubject(subject, "UTF-8");
        return message;
    }

    /** Waits for the hub's reply in the coach's mailbox, over IMAP. */
    private static MimeMessage reply(String coach, String subject) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (hub.greenMailHas(coach)) {
                for (MimeMessage m : inbox(coach, coach)) {
                    if (m.getSubject() != null && m.getSubject().contains(subject)) {
                        return m;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no reply to " + coach + " about " + subject);
    }

    private static String text(MimeMessage m) throws Exception {
        return String.valueOf(m.getContent());
    }

    @Test
    void aPlainTextFormIsStoredAcknowledgedOnTheThreadAndDelivered() throws Exception {
        String subject = "Referral " + UUID.randomUUID();
        MimeMessage sent = message("joan.coach@cics.example", subject);
        sent.setText("""
                Hello, a referral for the mentoring program:

                First name: Amara
                Last name: Okafor
                Email: amara.%s@example.org
                Phone: 416 555 0123
                Postal code: M2N 6K1
                Arrival date: 2024-03-15
                Years of experience: 8
                English level: CLB 8
                Consent: yes

                Joan
                """.formatted(subject.hashCode()), "UTF-8");
        sent.saveChanges();
        Transport.send(sent);

        MimeMessage ack = reply("joan.coach@cics.example", subject);
        assertThat(ack.getHeader("In-Reply-To", null)).isEqualTo(sent.getMessageID());
        assertThat(ack.getFrom()[0].toString()).isEqualTo(LocalHub.HUB_ADDRESS);
        String body = text(ack);
        assertThat(body).contains("received 1 referral");
        Matcher id = REFERRAL_ID.matcher(body);
        assertThat(id.find()).isTrue();
        JsonNode referral = http.awaitReferral(id.group(1), KEYS.get("cics"),
                r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));
        assertThat(referral.at("/source/channel").asText()).isEqualTo("email");
        assertThat(referral.at("/client/phone").asText()).isEqualTo("+14165550123");
        assertThat(referral.at("/routing/partnerId").asText()).isEqualTo("jvs-toronto");
        assertThat(referral.at("/delivery/attempts/0/channel").asText()).isEqualTo("email");

        MimeMessage delivered = reply("intake@jvstoronto.example", "Mentoring referral " + id.group(1));
        assertThat(delivered.getMessageID()).isEqualTo("<dlv_" + id.group(1) + "_jvs-toronto@hub.localhost>");
        assertThat(delivered.getSubject()).contains("Centre for Immigrant and Community Services");
        MimeMultipart parts = (MimeMultipart) delivered.getContent();
        assertThat(String.valueOf(parts.getBodyPart(0).getContent())).contains("+14165550123");
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("dlv_" + id.group(1) + "_jvs-toronto.csv");
    }

    @Test
    void aPartnerSeesOnlyWhatTheConsentScopeShares() throws Exception {
        String subject = "Scoped " + UUID.randomUUID();
        MimeMessage sent = message("joan.coach@cics.example", subject);
        sent.setText("First name: Dara\nLast name: Karimi\nEmail: dara.%s@example.ir\nPhone: 647 555 0190\n"
                .formatted(subject.hashCode()) + "Postal code: M3C 1A1\nArrival date: 2024-01-10\nYears of experience: 5\n"
                + "English level: 9\nConsent: yes\nConsent scope: background\n", "UTF-8");
        Transport.send(sent);
        Matcher id = REFERRAL_ID.matcher(text(reply("joan.coach@cics.example", subject)));
        assertThat(id.find()).isTrue();
        MimeMessage delivered = reply("intake@jvstoronto.example", "Mentoring referral " + id.group(1));
        MimeMultipart parts = (MimeMultipart) delivered.getContent();
        String body = String.valueOf(parts.getBodyPart(0).getContent());
        String csv = new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body).contains("Dara").contains("Years of experience: 5").doesNotContain("example.ir").doesNotContain("6475550190");
        assertThat(csv).contains("Dara").doesNotContain("example.ir").doesNotContain("6475550190");
    }

    @Test
    void frenchLabelsInAnHtmlOnlyBodyWithAQuotedPrintableCharset() throws Exception {
        String subject = "Référence " + UUID.randomUUID();
        MimeMessage sent = message("coach@collegeboreal.example", subject);
        sent.setContent("<html><body><p>Bonjour,</p><p>Prénom&nbsp;: Hélène<br>Nom : Bérubé<br>"
                + "Courriel : helene@exemple.ca<br>Langue : Français<br>Consentement : Oui<br>"
                + "Date d'arrivée : 2023-03-15<br>Années d'expérience : 8<br>NCLC : 7</p>"
                + "<script>alert('x')</script></body></html>", "text/html; charset=ISO-8859-1");
        sent.setHeader("Content-Transfer-Encoding", "quoted-printable");
        Transport.send(sent);
        String body = text(reply("coach@collegeboreal.example", subject));
        Matcher id = REFERRAL_ID.matcher(body);
        assertThat(id.find()).as(body).isTrue();
        JsonNode referral = http.get("/v1/referrals/" + id.group(1), KEYS.get("college-boreal")).body();
        assertThat(referral.at("/client/firstName").asText()).isEqualTo("Hélène");
        assertThat(referral.at("/client/preferredLanguage").asText()).isEqualTo("fr");
        assertThat(body).doesNotContain("<script>");
    }

    @Test
    void aCsvAttachmentWithAnRfc2231NameBecomesReferrals() throws Exception {
        String subject = "Weekly list " + UUID.randomUUID();
        MimeMessage sent = message("intake@nych.example", subject);
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart note = new MimeBodyPart();
        note.setText("Two clients attached.", "UTF-8");
        MimeBodyPart csv = new MimeBodyPart();
        String ref = UUID.randomUUID().toString().substring(0, 6);
        csv.setContent(("Reference,First Name,Last Name,Email,Consent\nN-" + ref + "-1,Ravi,Patel,ravi." + ref
                + "@example.in,yes\nN-" + ref + "-2,Noor,,noor@example,yes\n").getBytes(StandardCharsets.UTF_8), "text/csv");
        csv.setFileName("référés semaine.csv");
        mixed.addBodyPart(note);
        mixed.addBodyPart(csv);
        sent.setContent(mixed);
        Transport.send(sent);
        String body = text(reply("intake@nych.example", subject));
        assertThat(body).contains("received 1 referral").contains("row 3 of référés semaine.csv")
                .contains("Last Name (client.lastName) is required").doesNotContain("noor@example");
    }

    @Test
    void aMessageWithoutAUsableReferralIsAnsweredWithWhatIsMissing() throws Exception {
        String subject = "Question " + UUID.randomUUID();
        MimeMessage sent = message("coach@tropicana.example", subject);
        sent.setText("First name: Sam\nConsent: yes\n", "UTF-8");
        Transport.send(sent);
        String body = text(reply("coach@tropicana.example", subject));
        assertThat(body).contains("could not accept").contains("Last name").contains("an e-mail address or a phone number");
    }

    @Test
    void anIneligibleReferralIsStoredNotForwardedAndTheReplySaysWhy() throws Exception {
        String subject = "Referral " + UUID.randomUUID();
        MimeMessage sent = message("coach@tropicana.example", subject);
        sent.setText("First name: Sam\nLast name: Lee\nEmail: sam." + UUID.randomUUID().toString().substring(0, 6)
                + "@example.kr\nArrival date: 2010-01-15\nYears of experience: 1\nEnglish level: 5\nConsent: yes\n", "UTF-8");
        Transport.send(sent);
        String body = text(reply("coach@tropicana.example", subject));
        assertThat(body).contains("rejected (not-eligible)")
                .contains("the client arrived in Canada more than 5 years ago")
                .contains("the program needs at least 2 years of professional experience")
                .contains("the program needs English at CLB 7 or above");
    }

    @Test
    void aReplyWithQuotedHistoryIsNotASecondReferral() throws Exception {
        String subject = "Re: follow-up " + UUID.randomUUID();
        MimeMessage sent = message("coach@cet.example", subject);
        String ref = UUID.randomUUID().toString().substring(0, 6);
        sent.setText("First name: Ivan\nLast name: Petrov\nEmail: ivan." + ref + "@example.ua\nConsent: yes\n\n"
                + "On Mon, Nov 23, 2026, Referral Hub <" + LocalHub.HUB_ADDRESS + "> wrote:\n"
                + "> First name: Omar\n> Last name: Farouk\n> Email: omar@example.eg\n", "UTF-8");
        Transport.send(sent);
        String body = text(reply("coach@cet.example", subject));
        assertThat(body).contains("received 1 referral");
        assertThat(body.lines().filter(l -> l.startsWith("  - ")).filter(l -> REFERRAL_ID.matcher(l).find()))
                .as("one referral listed, not the quoted one").hasSize(1);
    }

    @Test
    void aForwardedReferralIsReadOnce() throws Exception {
        String subject = "Fwd: client " + UUID.randomUUID();
        MimeMessage sent = message("manager@timeschange.example", subject);
        sent.setText("Please refer her, thanks.\n\n---------- Forwarded message ---------\n"
                + "From: Coach <coach@timeschange.example>\nDate: Mon, Nov 23, 2026\nSubject: client\n"
                + "To: manager@timeschange.example\n\nFirst name: Mei\nLast name: Lin\nEmail: mei."
                + subject.hashCode() + "@example.cn\nConsent: yes\n", "UTF-8");
        Transport.send(sent);
        String body = text(reply("manager@timeschange.example", subject));
        assertThat(body).contains("received 1 referral");
        assertThat(body.lines().filter(l -> l.startsWith("  - "))).hasSize(1);
    }

    /** A French-speaking agency's coach writes dates day first (jj/mm/aaaa): read so, by the agency's locale. */
    @Test
    void aFrenchCoachsDateIsReadDayFirst() throws Exception {
        String subject = "Date " + UUID.randomUUID();
        MimeMessage message = message("coach@collegeboreal.example", subject);
        message.setText("Prénom : Aimée\nNom : Diallo\nCourriel : aimee." + UUID.randomUUID() + "@exemple.ca\n"
                + "Date d'arrivée : 03/04/2024\nConsentement : oui\n", "UTF-8");
        Transport.send(message);
        Matcher id = REFERRAL_ID.matcher(text(reply("coach@collegeboreal.example", subject)));
        assertThat(id.find()).isTrue();
        JsonNode referral = http.get("/v1/referrals/" + id.group(1), LocalHub.demoKeys().get("college-boreal")).body();
        assertThat(referral.at("/client/arrivalDate").asText()).isEqualTo("2024-04-03");
    }

    /** A label the agency's mapping does not know is named in the reply, with the field it probably is. */
    @Test
    void aLabelTheMappingDoesNotKnowIsNamedInTheReply() throws Exception {
        String subject = "Niveau " + UUID.randomUUID();
        MimeMessage message = message("coach@collegeboreal.example", subject);
        message.setText("Prénom : Aimée\nNom : Diallo\nCourriel : aimee.diallo@exemple.ca\nNiveau CLB : 8\n"
                + "Consentement : oui\n", "UTF-8");
        Transport.send(message);
        String body = text(reply("coach@collegeboreal.example", subject));
        assertThat(body).contains("not read").contains("Niveau CLB (probably client.englishLevel)");
    }

    /** An allowed coach whose message cannot be read is told what went wrong and what to send instead. */
    @Test
    void aCoachWhoseMessageCannotBeReadIsToldWhy() throws Exception {
        String subject = "Eleven files " + UUID.randomUUID();
        MimeMessage message = message("coach@tropicana.example", subject);
        MimeMultipart multipart = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("See the attached files.", "UTF-8");
        multipart.addBodyPart(text);
        for (int i = 1; i <= 11; i++) {
            MimeBodyPart file = new MimeBodyPart();
            file.setText("First Name,Last Name\nA,B\n", "UTF-8");
            file.setFileName("week-" + i + ".csv");
            multipart.addBodyPart(file);
        }
        message.setContent(multipart);
        Transport.send(message);
        String body = text(reply("coach@tropicana.example", subject));
        assertThat(body).contains("could not read this message").contains("more than 10 attachments")
                .contains("Nothing was stored").contains("Receipt: ");
    }

    @Test
    void unknownSendersAndCorruptMessagesAreQuarantinedWithoutBlockingTheNext() throws Exception {
        long before = quarantined();
        MimeMessage stranger = message("someone@unknown.example", "Referral " + UUID.randomUUID());
        stranger.setText("First name: X\nLast name: Y\nEmail: x@y.ca\nConsent: yes\n", "UTF-8");
        Transport.send(stranger);
        // a message the hub cannot take (a boundary declared but not used is read since: more files than it takes)
        MimeMessage corrupt = message("coach@cics.example", "Broken " + UUID.randomUUID());
        MimeMultipart multipart = new MimeMultipart("mixed");
        for (int i = 0; i <= 10; i++) {
            MimeBodyPart part = new MimeBodyPart();
            part.setText("a,b\n1,2\n", "UTF-8");
            part.setFileName("f" + i + ".csv");
            multipart.addBodyPart(part);
        }
        corrupt.setContent(multipart);
        Transport.send(corrupt);
        String subject = "After the broken one " + UUID.randomUUID();
        MimeMessage next = message("coach@cics.example", subject);
        next.setText("First name: Ana\nLast name: Silva\nPhone: 4165550177\nConsent: yes\n", "UTF-8");
        Transport.send(next);
        assertThat(text(reply("coach@cics.example", subject))).contains("received 1 referral");
        Instant deadline = Instant.now().plusSeconds(10);
        while (quarantined() < before + 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(quarantined()).isEqualTo(before + 2);
        assertThat(hub.greenMailHas("someone@unknown.example")).as("a stranger gets no reply").isFalse();
    }

    @Test
    void mailInAnAgencysOwnMailboxIsReadOnceOverImapAndMarkedSeen() throws Exception {
        String subject = "Mailbox " + UUID.randomUUID();
        MimeMessage sent = new MimeMessage(session());
        sent.setFrom(new InternetAddress("coach@nych.example"));
        sent.setRecipient(Message.RecipientType.TO, new InternetAddress("referrals@nych.example"));
        sent.setSubject(subject);
        sent.setText("First name: Olena\nLast name: Shevchenko\nEmail: olena." + subject.hashCode()
                + "@example.ua\nConsent: yes\n", "UTF-8");
        Transport.send(sent);
        String body = text(reply("coach@nych.example", subject));
        assertThat(body).contains("received 1 referral");
        Thread.sleep(2000);
        String password = new String(Files.readAllBytes(data.resolve("keys").resolve("nych-imap-password")),
                StandardCharsets.UTF_8);
        for (Message m : inbox("referrals@nych.example", password)) {
            if (subject.equals(m.getSubject())) {
                assertThat(m.isSet(Flags.Flag.SEEN)).isTrue();
            }
        }
        long replies = 0;
        for (Message m : inbox("coach@nych.example", "coach@nych.example")) {
            if (m.getSubject() != null && m.getSubject().contains(subject)) {
                replies++;
            }
        }
        assertThat(replies).as("read once, answered once").isEqualTo(1);
    }

    /** The messages of a mailbox, copied out over IMAP. */
    private static List<MimeMessage> inbox(String address, String password) throws Exception {
        Store store = session().getStore("imap");
        store.connect(address, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<MimeMessage> copies = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                copies.add(new MimeMessage((MimeMessage) m));
            }
            inbox.close(false);
            return copies;
        } finally {
            store.close();
        }
    }

    private static long quarantined() {
        return hub.hub().dynamo().scanPaginator(r -> r.tableName(table).filterExpression("kind = :q")
                .expressionAttributeValues(Map.of(":q", AttributeValue.fromS("quarantine")))).items().stream().count();
    }
}
