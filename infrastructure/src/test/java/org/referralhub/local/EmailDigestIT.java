package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A partner that wants a digest gets the referrals of one window in one message, with one CSV. */
class EmailDigestIT {

    private static final Map<String, String> KEYS = LocalHub.demoKeys();

    @TempDir
    Path data;

    @Test
    void referralsOfOneWindowArriveInOneMessage() throws Exception {
        String config = Files.readString(Path.of(HubClient.fastRetryConfiguration(data)));
        String digest = config.replace("      attachCsv: true\n", "      attachCsv: true\n      batchEverySeconds: 6\n");
        assertThat(digest).isNotEqualTo(config);
        Path file = data.resolve("hub-config-digest.yaml");
        Files.writeString(file, digest);
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withConfigLocation(file.toString()).withSweepMillis(300))) {
            HubClient agency = new HubClient(hub.baseUrl());
            List<String> ids = new ArrayList<>();
            // start right after a window opens, so both referrals fall in the same one
            while (Instant.now().getEpochSecond() % 6 != 0) {
                Thread.sleep(20);
            }
            for (int i = 0; i < 2; i++) {
                String json = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                        .replace("CICS-2026-0001", "DIGEST-" + UUID.randomUUID());
                ids.add(agency.postJson(KEYS.get("cics"), json).body().get("referralId").asText());
            }
            for (String id : ids) {
                agency.awaitReferral(id, KEYS.get("cics"), r -> "delivered".equals(r.at("/delivery/state").asText()),
                        Duration.ofSeconds(30));
            }
            Properties p = new Properties();
            p.setProperty("mail.imap.host", "127.0.0.1");
            p.setProperty("mail.imap.port", Integer.toString(hub.imapPort()));
            Store store = Session.getInstance(p).getStore("imap");
            store.connect("intake@jvstoronto.example", "intake@jvstoronto.example");
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] messages = inbox.getMessages();
                assertThat(messages).hasSize(1);
                assertThat(messages[0].getHeader("Message-ID")[0]).startsWith("<batch-").endsWith("@hub.localhost>");
                // the same id where SES, which replaces Message-ID, leaves it: the partner keeps this one
                assertThat(messages[0].getHeader("X-Referral-Hub-Id")).containsExactly(messages[0].getHeader("Message-ID")[0]);
                MimeMultipart parts = (MimeMultipart) messages[0].getContent();
                String body = String.valueOf(parts.getBodyPart(0).getContent());
                String csv = new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(body).contains(ids.get(0)).contains(ids.get(1));
                assertThat(csv.lines()).hasSize(3);
                inbox.close(false);
            } finally {
                store.close();
            }
        }
    }
}
