package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.cli.AdminCli;

/**
 * A partner that stays down past every retry: the delivery becomes a dead letter an administrator can see (with
 * why), and replay once the partner is back — delivered once, with the same idempotency id.
 */
class DeadLetterIT {

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static HubClient agencies;
    private static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300)
                .withConfigLocation(HubClient.fastRetryConfiguration(data)));
        agencies = new HubClient(hub.baseUrl());
        admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        all[0] = "--hub";
        all[1] = hub.baseUrl();
        all[2] = "--token";
        all[3] = LocalHub.demoAdminToken();
        System.arraycopy(args, 0, all, 4, args.length);
        assertThat(AdminCli.run(new PrintWriter(out, true), new PrintWriter(new ByteArrayOutputStream(), true), all)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDeliveryThatRanOutOfAttemptsIsListedWithWhyAndReplayedOnceThePartnerIsBack() throws Exception {
        agencies.postSandbox("/sandbox/partners/humber/failures", "{\"count\":4,\"status\":503}");
        String json = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                .replace("CICS-2026-0001", "DEAD-" + UUID.randomUUID()).replace("m2n6k1", "M9W 1A1");
        String id = agencies.postJson(LocalHub.demoKeys().get("cics"), json).body().get("referralId").asText();
        JsonNode failed = agencies.awaitReferral(id, LocalHub.demoKeys().get("cics"),
                r -> "failed".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(40));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/delivery/attempts")).hasSize(4);

        JsonNode dead = admin.get("/dead-letters?partner=humber").body().get("deadLetters");
        assertThat(dead).anySatisfy(d -> {
            assertThat(d.get("id").asText()).isEqualTo(id);
            assertThat(d.get("kind").asText()).isEqualTo("delivery");
            assertThat(d.get("attempts").asInt()).isEqualTo(4);
            assertThat(d.get("lastError").asText()).contains("503");
        });
        assertThat(cli("dead-letters", "list")).contains(id).contains("humber").contains("503");

        assertThat(cli("dead-letters", "replay", id)).contains("replayed " + id);
        JsonNode delivered = agencies.awaitReferral(id, LocalHub.demoKeys().get("cics"),
                r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));
        assertThat(delivered.get("status").asText()).isEqualTo("requested");
        assertThat(delivered.at("/delivery/attempts")).hasSize(5);
        assertThat(delivered.at("/delivery/replayedAfter").asInt()).isEqualTo(4);
        assertThat(delivered.get("statusHistory").findValuesAsText("reason")).contains("delivery-failed", "delivery replayed");
        assertThat(delivered.get("statusHistory").findValuesAsText("by")).contains("admin:program-admin");

        JsonNode received = agencies.get("/sandbox/partners/humber/deliveries", null).body().get("deliveries");
        long taken = 0;
        for (JsonNode d : received) {
            if (("dlv_" + id + "_humber").equals(d.get("webhookId").asText()) && d.get("answeredStatus").asInt() == 200) {
                taken++;
            }
        }
        assertThat(taken).as("delivered once, with the delivery's own idempotency id").isEqualTo(1);
        assertThat(admin.send("POST", "/dead-letters/replay", "{\"ids\":[\"" + id + "\"]}").body().get("replayed"))
                .as("replaying what is no longer dead does nothing").isEmpty();
        assertThat(admin.send("POST", "/dead-letters/replay", "{}").status()).isEqualTo(400);
    }

    @Test
    void aQuarantinedMessageIsListedAndReplayedOnceItsSenderIsAllowed() throws Exception {
        var session = Session.getInstance(new Properties() {{
            setProperty("mail.smtp.host", "127.0.0.1");
            setProperty("mail.smtp.port", Integer.toString(hub.smtpPort()));
        }});
        var message = new MimeMessage(session);
        message.setFrom(new InternetAddress("new.coach@partners-of-cics.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(LocalHub.HUB_ADDRESS));
        String subject = "Referral " + UUID.randomUUID();
        message.setSubject(subject);
        message.setText("Reference: Q-" + UUID.randomUUID() + "\nFirst name: Ana\nLast name: Lima\nEmail: ana.q@example.br\n"
                + "Consent: yes\n", "UTF-8");
        Transport.send(message);

        Instant deadline = Instant.now().plusSeconds(20);
        JsonNode quarantined = admin.get("/quarantine").body().get("quarantined");
        while (quarantined.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            quarantined = admin.get("/quarantine").body().get("quarantined");
        }
        assertThat(quarantined).hasSize(1);
        assertThat(quarantined.get(0).get("reason").asText()).isEqualTo("unknown-sender");
        String receipt = quarantined.get(0).get("receiptId").asText();
        assertThat(cli("quarantine", "list")).contains(receipt).contains("unknown-sender");

        assertThat(admin.send("PATCH", "/agencies/cics", "{\"email\":{\"senders\":[\"@cics.example\",\"@partners-of-cics.example\"]}}")
                .status()).isEqualTo(200);
        String replayed = cli("quarantine", "replay", receipt);
        assertThat(replayed).contains("replayed " + receipt + ": accepted");
        assertThat(admin.get("/quarantine").body().get("quarantined")).as("off the list").isEmpty();
        assertThat(admin.send("POST", "/quarantine/" + receipt + "/replay", null).status()).as("at most once").isEqualTo(409);
    }
}
