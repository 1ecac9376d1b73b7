package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.referral.Referral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proof that nothing is lost and nothing happens twice, across all three channels at once: referrals sent by
 * webhook, in SFTP files and by e-mail, 10 % of them malformed, while 5 % of the hub's DynamoDB calls are throttled
 * or fail (in the SDK's own retry path) and the partner is down for a while. Every inbound event is sent again three
 * times in sequence and twice at once. Then: accepted + refused = sent, exactly one referral per client, each
 * delivered once (first-time deliveries; repeats carry the same webhook-id).
 *
 * <p>Short by default; {@code mvn verify -Preliability} runs 10,000 referrals with the partner down for a minute
 * ({@code -Dreliability.referrals}, {@code -Dreliability.partnerDownSeconds}).
 */
class ReliabilityIT {

    private static final Logger LOG = LoggerFactory.getLogger(ReliabilityIT.class);
    private static final String KEY = LocalHub.demoKeys().get("cics");
    private static final int SENT = Integer.getInteger("reliability.referrals", 300);
    private static final int DOWN_SECONDS = Integer.getInteger("reliability.partnerDownSeconds", 8);
    private static final int ROWS_PER_FILE = 50;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static DynamoDbFaultProxy faults;
    private static HubClient agency;
    private static final AtomicInteger retriesAfter503 = new AtomicInteger();
    private static final AtomicInteger retriesAfterSmtpRefusal = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        int dynamoPort = LocalHub.freePort();
        faults = new DynamoDbFaultProxy("http://127.0.0.1:" + dynamoPort, 0.05);
        // enough attempts to outlast the partner's outage: backoff 1, 2, 4 … 64 s
        String config = Files.readString(Path.of(HubClient.fastRetryConfiguration(data)))
                .replace("maxAttempts: 4", "maxAttempts: 9");
        Path file = data.resolve("hub-config-reliability.yaml");
        Files.writeString(file, config);
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, dynamoPort, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(500).withConfigLocation(file.toString())
                .withDynamoEndpointForHub(faults.endpoint()));
        agency = new HubClient(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        hub.close();
        faults.close();
    }

    private enum Way { WEBHOOK, FILE, EMAIL }

    /** Client i: its channel (40 % webhook, 40 % file, 20 % e-mail) and whether it is malformed (every tenth). */
    private static Way way(int i) {
        int slot = (i / 10) % 5;
        return slot < 2 ? Way.WEBHOOK : slot < 4 ? Way.FILE : Way.EMAIL;
    }

    private static boolean malformed(int i) {
        return i % 10 == 7;
    }

    private static String email(int i) {
        return "client-" + RUN + "-" + i + "@example.org";
    }

    @Test
    void everyReferralOfEveryChannelIsStoredOnceAndDeliveredOnceOrRefusedUnderFaultsRepeatsAndAnOutage() throws Exception {
        List<Integer> webhook = new ArrayList<>();
        List<Integer> files = new ArrayList<>();
        List<Integer> mails = new ArrayList<>();
        for (int i = 0; i < SENT; i++) {
            (way(i) == Way.WEBHOOK ? webhook : way(i) == Way.FILE ? files : mails).add(i);
        }
        agency.postSandbox("/sandbox/partners/humber/failures", "{\"forSeconds\":" + DOWN_SECONDS + ",\"status\":503}");
        Instant started = Instant.now();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger refusedByWebhook = new AtomicInteger();
        AtomicInteger refusedRows = new AtomicInteger();
        AtomicInteger refusedMails = new AtomicInteger();
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int i : webhook) {
                work.add(() -> {
                    sendWebhookSixTimes(i, refusedByWebhook);
                    return null;
                });
            }
            for (int f = 0; f < files.size(); f += ROWS_PER_FILE) {
                List<Integer> rows = files.subList(f, Math.min(files.size(), f + ROWS_PER_FILE));
                int n = f / ROWS_PER_FILE;
                work.add(() -> {
                    refusedRows.addAndGet(uploadSixTimes(n, rows));
                    return null;
                });
            }
            for (int i : mails) {
                work.add(() -> {
                    mailSixTimes(i);
                    return null;
                });
            }
            Collections.shuffle(work, new Random(7));
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double sendingSeconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;

        // e-mail: each message answered once; a malformed one answered with its problem
        // the local mail server takes messages as fast as they come and the hub reads them a few at a time: wait for
        // the whole backlog (every message was sent six times), not per message
        Instant repliesDue = Instant.now().plusSeconds(120 + SENT / 5);
        for (int i : mails) {
            awaitReply("coach-" + RUN + "-" + i + "@cics.example", repliesDue);
        }
        Thread.sleep(1000); // a second reply, had the hub made one, would be here by now
        for (int i : mails) {
            String coach = "coach-" + RUN + "-" + i + "@cics.example";
            List<MimeMessage> replies = hub.mailTo(coach);
            assertThat(replies).as("one reply per message, whatever the repeats").hasSize(1);
            if (malformed(i)) {
                assertThat(String.valueOf(replies.get(0).getContent())).as("reply to malformed message %d", i)
                        .contains("could not accept");
                refusedMails.incrementAndGet();
            }
        }

        // what the hub stored for this run: exactly one referral per valid client, none for a malformed one
        Map<String, List<Referral>> storedByClient = new HashMap<>();
        hub.hub().services().store().forEachOfAgency("cics", started.minusSeconds(60), Instant.now().plusSeconds(60),
                r -> {
                    if (r.client().email() != null && r.client().email().contains(RUN)) {
                        storedByClient.computeIfAbsent(r.client().email(), k -> new ArrayList<>()).add(r);
                    }
                });
        int valid = 0;
        for (int i = 0; i < SENT; i++) {
            List<Referral> found = storedByClient.getOrDefault(email(i), List.of());
            if (malformed(i)) {
                assertThat(found).as("malformed client %d", i).isEmpty();
            } else {
                valid++;
                assertThat(found).as("client %d (%s)", i, way(i)).hasSize(1);
            }
        }
        int refused = refusedByWebhook.get() + refusedRows.get() + refusedMails.get();
        assertThat(storedByClient.size() + refused).as("accepted + refused = sent").isEqualTo(SENT);
        assertThat(storedByClient.size()).isEqualTo(valid);

        // every stored referral delivered to the partner once it came back, none twice
        Set<String> expected = ConcurrentHashMap.newKeySet();
        storedByClient.values().forEach(l -> expected.add("dlv_" + l.get(0).referralId() + "_humber"));
        Map<String, Integer> firstTime = new HashMap<>();
        int repeats = 0;
        int refusedWhileDown = 0;
        // under 5 % throttling the local dispatcher manages some five deliveries a second: wait in proportion
        Instant deadline = Instant.now().plusSeconds(180 + DOWN_SECONDS + SENT / 4);
        while (Instant.now().isBefore(deadline)) {
            firstTime.clear();
            repeats = 0;
            refusedWhileDown = 0;
            for (JsonNode d : agency.get("/sandbox/partners/humber/deliveries", null).body().get("deliveries")) {
                if (d.get("answeredStatus").asInt() != 200) {
                    refusedWhileDown++;
                } else if (d.get("repeat").asBoolean()) {
                    repeats++;
                } else {
                    firstTime.merge(d.get("webhookId").asText(), 1, Integer::sum);
                }
            }
            if (firstTime.keySet().containsAll(expected)) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(firstTime.keySet()).as("delivered after the partner came back").containsAll(expected);
        assertThat(firstTime.values()).as("no referral delivered twice").allMatch(n -> n == 1);
        assertThat(refusedWhileDown).as("the partner was down for a while").isPositive();
        assertThat(hub.hub().services().deadLetters().list()).as("no dead letter").isEmpty();
        LOG.info("reliability: sent {} (webhook {}, file rows {}, e-mail {}), each event 6 times; stored {}, refused {} "
                        + "(webhook {}, file rows {}, e-mail {}); delivered {}, delivered twice 0, lost 0, duplicates 0; "
                        + "partner refusals while down {} s: {}, partner-side repeats {}; DynamoDB calls forwarded {}, "
                        + "throttled {}, failed {}; client retries after 503 {}, SMTP refusals {}; sending took {} s",
                SENT, webhook.size(), files.size(), mails.size(), storedByClient.size(), refused, refusedByWebhook.get(),
                refusedRows.get(), refusedMails.get(), expected.size(), DOWN_SECONDS, refusedWhileDown, repeats,
                faults.forwarded.get(), faults.throttled.get(), faults.failed.get(), retriesAfter503.get(),
                retriesAfterSmtpRefusal.get(), sendingSeconds);
    }

    // ---- webhook: the request, three more times in sequence, twice more at once (same Idempotency-Key)

    private static String webhookBody(int i) throws Exception {
        String json = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                .replace("m2n6k1", "M9W 1A1").replace("CICS-2026-0001", "REL-" + RUN + "-" + i)
                .replace("Amara.Okafor@Example.org", email(i));
        return malformed(i) ? json.replace("\"lastName\": \"Okafor\",", "") : json;
    }

    private static void sendWebhookSixTimes(int i, AtomicInteger refused) throws Exception {
        String json = webhookBody(i);
        String key = "rel-" + RUN + "-" + i;
        HubClient.Reply first = post(json, key);
        if (malformed(i)) {
            assertThat(first.status()).isEqualTo(400);
            refused.incrementAndGet();
            return;
        }
        assertThat(first.status()).as("referral %d", i).isEqualTo(202);
        String id = first.body().get("referralId").asText();
        for (int again = 0; again < 3; again++) {
            assertThat(post(json, key).body().get("referralId").asText()).isEqualTo(id);
        }
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            List<Future<HubClient.Reply>> replies = both.invokeAll(List.of(() -> post(json, key), () -> post(json, key)));
            for (Future<HubClient.Reply> reply : replies) {
                assertThat(reply.get().body().get("referralId").asText()).isEqualTo(id);
                assertThat(reply.get().body().get("duplicate").asBoolean()).isTrue();
            }
        } finally {
            both.shutdownNow();
        }
    }

    /** Posts like a careful client: the same request again after a 503 or a lost connection. */
    private static HubClient.Reply post(String json, String key) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                HubClient.Reply reply = agency.post(KEY, "application/json", json.getBytes(StandardCharsets.UTF_8), key);
                if (reply.status() != 503 || attempt == 30) {
                    return reply;
                }
                retriesAfter503.incrementAndGet();
            } catch (IOException lost) {
                if (attempt == 30) {
                    throw lost;
                }
            }
            Thread.sleep(200);
        }
    }

    // ---- SFTP: the file, three more uploads of the same bytes in sequence, two at once

    private static byte[] csv(List<Integer> rows) {
        StringBuilder out = new StringBuilder("Reference,First Name,Last Name,Email,Postal Code,Arrival Date,"
                + "Profession,NOC,Years of Experience,English Level,Consent,Consent Date\r\n");
        for (int i : rows) {
            out.append("REL-").append(RUN).append('-').append(i).append(",Amara,").append(malformed(i) ? "" : "Okafor")
                    .append(',').append(email(i)).append(",M9W 1A1,2024-03-15,Civil engineer,21300,8,8,Signed,2026-11-20\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Answers how many rows the results file says were rejected (from the first upload). */
    private static int uploadSixTimes(int n, List<Integer> rows) throws Exception {
        byte[] content = csv(rows);
        String name = "rel-" + RUN + "-" + n + ".csv";
        try (SftpAgency sftp = SftpAgency.withPassword(hub, "cics", LocalHub.demoSftpPasswords().get("cics"))) {
            sftp.upload("inbound/" + name, content);
            String results = awaitResults(sftp, name);
            int rejected = (int) results.lines().filter(l -> l.contains(",rejected,")).count();
            int accepted = (int) results.lines().filter(l -> l.contains(",accepted,")).count();
            assertThat(rejected + accepted).as("file %d: every row answered", n).isEqualTo(rows.size());
            assertThat(rejected).isEqualTo((int) rows.stream().filter(ReliabilityIT::malformed).count());
            for (int again = 1; again <= 3; again++) {
                String repeat = "rel-" + RUN + "-" + n + "-again-" + again + ".csv";
                sftp.upload("inbound/" + repeat, content);
                assertThat(awaitResults(sftp, repeat)).contains("already processed");
            }
            String[] both = {"rel-" + RUN + "-" + n + "-both-1.csv", "rel-" + RUN + "-" + n + "-both-2.csv"};
            sftp.upload("inbound/" + both[0], content);
            sftp.upload("inbound/" + both[1], content);
            for (String b : both) {
                String answer = awaitResults(sftp, b);
                assertThat(answer.contains("already processed") || answer.contains("being processed"))
                        .as("concurrent repeat %s: %s", b, answer).isTrue();
            }
            return rejected;
        }
    }

    private static String awaitResults(SftpAgency sftp, String name) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120 + SENT / 20);
        while (Instant.now().isBefore(deadline)) {
            if (sftp.list("results").contains(name + ".results.csv")) {
                return new String(sftp.download("results/" + name + ".results.csv"), StandardCharsets.UTF_8);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no results for " + name);
    }

    // ---- e-mail: the message, three more deliveries in sequence, two at once (same Message-ID)

    private static void mailSixTimes(int i) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(hub.smtpPort()));
        Session session = Session.getInstance(p);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("coach-" + RUN + "-" + i + "@cics.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(LocalHub.HUB_ADDRESS));
        message.setSubject("Referral " + i, "UTF-8");
        message.setText("""
                First name: Amara
                Last name: %s
                Email: %s
                Postal code: M9W 1A1
                Arrival date: 2024-03-15
                Years of experience: 8
                English level: CLB 8
                Consent: yes
                """.formatted(malformed(i) ? "" : "Okafor", email(i)), "UTF-8");
        message.saveChanges();
        deliver(session, message);
        for (int again = 0; again < 3; again++) {
            deliver(session, message);
        }
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            for (Future<Void> f : both.invokeAll(List.<Callable<Void>>of(() -> deliver(session, message),
                    () -> deliver(session, message)))) {
                f.get();
            }
        } finally {
            both.shutdownNow();
        }
    }

    /** Sends the very same message (sendMessage keeps its Message-ID), again after a refusal. */
    private static Void deliver(Session session, MimeMessage message) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect();
                transport.sendMessage(message, message.getAllRecipients());
                return null;
            } catch (MessagingException refused) {
                if (attempt == 20) {
                    throw refused;
                }
                retriesAfterSmtpRefusal.incrementAndGet();
                Thread.sleep(200);
            }
        }
    }

    private static void awaitReply(String coach, Instant deadline) throws Exception {
        while (hub.mailTo(coach).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no reply to " + coach);
            }
            Thread.sleep(200);
        }
    }
}
