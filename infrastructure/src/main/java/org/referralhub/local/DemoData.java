package org.referralhub.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.referralhub.config.Agency;
import org.referralhub.delivery.DirectorySecretStore;
import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;
import org.referralhub.hub.Wing;
import org.referralhub.intake.InvalidReferralException;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.outcome.Outcomes;
import org.referralhub.outcome.StatusUpdate;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A realistic year of the pilot in the local hub, so the funnel and the loop can be seen without typing: referrals
 * from the seven agencies through their channels, screened and routed by the configuration in force, delivered,
 * and moved by partners through contacted, info-session, registered and matched — or declined — on the dates a
 * client's journey takes. Deterministic for a seed; seeding twice stores nothing twice (the agency references repeat).
 * Referrals are made by the hub's own intake and outcome rules, written straight to the table with their past dates.
 */
public final class DemoData {

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    private static final String[] FIRST = {"Amara", "Lina", "Priya", "Omar", "Mei", "Carlos", "Fatima", "Ivan", "Ana",
            "Tariq", "Sofia", "Kwame", "Hye-jin", "Darius", "Leila", "Mateo", "Nadia", "Arjun", "Elena", "Yusuf"};
    private static final String[] LAST = {"Okafor", "Haddad", "Raman", "Farouk", "Chen", "Ruiz", "Hassan", "Petrov",
            "Lima", "Aziz", "Rossi", "Mensah", "Kim", "Karimi", "Nasser", "Silva", "Bello", "Patel", "Popescu", "Demir"};
    private static final String[] POSTAL = {"M1B 2K3", "M1P 4P5", "M2N 6K1", "M3C 1A1", "M9W 1A1", "M9V 3Y6",
            "L4C 9T6", "L6A 1S3", "M5V 3L9", "M6K 3P6", "M4K 1N2", "L5B 3C2"};
    private static final String[] LANGUAGES = {"en", "en", "en", "fr", "ar", "es", "zh", "ta", "fa", "pt"};
    private static final String[] PROFESSIONS = {"Civil engineer|21300", "Pharmacist|31120", "Accountant|11100",
            "Software developer|21232", "Teacher|41220", "Nurse|31301", "Electrician|72200", "Project manager|00012"};
    private static final String[] DECLINES = {"could not reach the client", "client found employment", "not a fit for the program"};

    private DemoData() {
    }

    /**
     * Seeds {@code count} referrals received over the year before {@code end}, and their outcomes up to {@code end}.
     *
     * @return the referrals as stored (duplicates of an earlier seeding left out)
     */
    public static List<Referral> seed(Hub hub, Instant end, int count, long seed) {
        Random random = new Random(seed);
        var services = hub.services();
        List<Agency> agencies = services.config().agencies();
        List<Referral> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Agency agency = agencies.get(random.nextInt(agencies.size()));
            Instant receivedAt = end.minus(Duration.ofMinutes(1 + random.nextInt(365 * 24 * 60)));
            Channel channel = Channel.values()[random.nextInt(3)];
            try {
                Referral referral = services.intake().assemble(new ReferralIntake.Receipt(ReferralIds.newId(receivedAt),
                        agency, channel, "canonical", receivedAt, "demo:seed-" + seed), payload(random, agency, receivedAt, seed, i));
                made.add(journey(referral, random, end));
            } catch (InvalidReferralException e) {
                // every generated payload is valid; a refusal means the configuration changed beyond the demo's reach
            }
        }
        List<Referral> stored = new ArrayList<>();
        for (ReferralStore.Stored s : services.store().insertAll(made, end)) {
            if (!s.duplicate()) {
                stored.add(s.referral());
            }
        }
        return stored;
    }

    private static ObjectNode payload(Random random, Agency agency, Instant receivedAt, long seed, int i) {
        LocalDate today = receivedAt.atZone(ZoneOffset.UTC).toLocalDate();
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String[] profession = PROFESSIONS[random.nextInt(PROFESSIONS.length)].split("\\|");
        ObjectNode p = CanonicalJson.MAPPER.createObjectNode();
        p.putObject("source").put("agencyReference", "DEMO-" + seed + "-" + i);
        ObjectNode client = p.putObject("client");
        client.put("firstName", first).put("lastName", last)
                .put("email", (first + "." + last + i).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]", "") + "@example.org")
                .put("preferredLanguage", agency.id().equals("college-boreal") && random.nextBoolean() ? "fr"
                        : LANGUAGES[random.nextInt(LANGUAGES.length)])
                .put("postalCode", POSTAL[random.nextInt(POSTAL.length)])
                .put("arrivalDate", today.minusDays(60 + random.nextInt(6 * 365)).toString())
                .put("profession", profession[0]).put("occupationCode", profession[1])
                .put("yearsOfExperience", 1 + random.nextInt(15)).put("englishLevel", 6 + random.nextInt(5));
        p.putObject("consent").put("given", random.nextInt(100) < 96).put("capturedAt", receivedAt.minus(Duration.ofDays(1)).toString());
        return p;
    }

    /** Delivered minutes after it was made, then a partner's report at each step the client's journey reaches. */
    private static Referral journey(Referral referral, Random random, Instant end) {
        if (referral.delivery() == null || referral.delivery().state() != Delivery.State.PENDING) {
            return referral;
        }
        Instant at = referral.source().receivedAt().plus(Duration.ofMinutes(1 + random.nextInt(10)));
        if (at.isAfter(end)) {
            return referral;
        }
        Referral r = referral.withDelivery(referral.delivery().delivered(new DeliveryAttempt(1, at, Channel.WEBHOOK,
                referral.partnerId(), DeliveryAttempt.Outcome.DELIVERED, 200, 120, null)));
        String partner = r.partnerId();
        if (random.nextInt(100) < 8) {
            return step(r, partner, null, "declined", DECLINES[random.nextInt(DECLINES.length)],
                    at.plus(Duration.ofDays(2 + random.nextInt(10))), end);
        }
        int[][] journey = {{88, 1, 9}, {80, 3, 14}, {78, 2, 10}, {65, 5, 30}};
        String[] milestones = {"contacted", "info-session", "registered", "matched"};
        for (int k = 0; k < milestones.length; k++) {
            if (random.nextInt(100) >= journey[k][0]) {
                break;
            }
            at = at.plus(Duration.ofDays(journey[k][1] + random.nextInt(journey[k][2])));
            Referral next = step(r, partner, null, milestones[k], null, at, end);
            if (next == r) {
                break;
            }
            r = next;
        }
        return r;
    }

    private static Referral step(Referral r, String partner, String status, String business, String reason, Instant at,
                                 Instant end) {
        if (at.isAfter(end)) {
            return r;
        }
        return Outcomes.apply(r, new StatusUpdate(r.referralId(), status, business, reason, at), partner, end);
    }

    /** {@code java ... DemoData [count] [seed]}: seeds the running local hub (its DynamoDB Local and table). */
    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 700;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 2026;
        String port = System.getenv().getOrDefault("HUB_DYNAMODB_PORT", "8000");
        Path data = Path.of(System.getenv().getOrDefault("HUB_DATA_DIR", "data"));
        // the running hub's own table and its own key store (the configuration names secrets kept there); no routes:
        // the referrals are written straight into the table, and the running hub delivers them
        AwsBasicCredentials table = DynamoDbLocalServer.ofInstall(new DirectorySecretStore(data.resolve("keys")))
                .orElseThrow(() -> new IllegalStateException("no local hub has started in " + data.toAbsolutePath()
                        + ": start it first (./referral-hub, or HUB_DATA_DIR for another directory)"));
        try (Hub hub = Hub.start(HubSettings.of(Map.of(
                HubSettings.REFERRALS_TABLE, "referrals",
                HubSettings.AWS_ENDPOINT_URL, "http://127.0.0.1:" + port,
                HubSettings.ENDPOINT_CREDENTIALS, table.accessKeyId() + ":" + table.secretAccessKey(),
                HubSettings.ARCHIVE_DIR, data.resolve("archive").toString(),
                HubSettings.FILE_DROP_DIR, data.resolve("sftp").toString(),
                HubSettings.KEY_STORE_DIR, data.resolve("keys").toString(),
                HubSettings.HUB_BASE_URL, "http://localhost:" + System.getenv().getOrDefault("HUB_PORT", "8080"))),
                EnumSet.noneOf(Wing.class))) {
            List<Referral> stored = seed(hub, Instant.now(), count, seed);
            LOG.info("seeded {} referrals over the last year (seed {}); try: ./referral-hub report funnel", stored.size(), seed);
        }
    }
}
