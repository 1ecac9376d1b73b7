package org.referralhub.files;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.referralhub.archive.RawArchive;
import org.referralhub.archive.RawPayload;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.intake.FieldError;
import org.referralhub.intake.InvalidReferralException;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.NearMatch;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.Sha256;
import org.referralhub.store.IdempotencyRecords;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agency file, from its drop to its results: archived raw, claimed by content hash (a re-upload is not processed
 * twice), read row by row with bounded memory, each row mapped, validated, screened and routed, stored in batches,
 * answered in a results file in the agency's {@code results/} folder, and moved to {@code archive/} (or
 * {@code error/} when it could not be read at all). Valid rows are accepted even when others fail.
 */
public final class FileImport {

    public static final String INBOUND = "inbound";
    private static final Logger LOG = LoggerFactory.getLogger(FileImport.class);
    private static final int BATCH = 100;
    /** How long a processed file's content hash is remembered (a re-upload within it is answered, not redone). */
    private static final Duration REMEMBER = Duration.ofDays(400);
    /** Half-second waits for a twin being read at the same time, before leaving the file for the leftover sweep. */
    private static final int WAIT_FOR_TWIN = 60;

    private final ConfigurationSource config;
    private final ReferralIntake intake;
    private final ReferralStore store;
    private final RawArchive archive;
    private final FileDropStore files;
    private final Clock clock;
    private final FileLimits limits;
    private final long maxFileBytes;
    private final IdempotencyRecords records;
    private final Duration lease;

    /**
     * {@code lease}: how long a file stays claimed by the process reading it without a sign of life; the reader
     * renews it as it goes, so only a reader that died loses it — and then another takes the file over where the
     * rows were stored.
     */
    public FileImport(ConfigurationSource config, ReferralIntake intake, ReferralStore store, RawArchive archive,
                      FileDropStore files, Clock clock, FileLimits limits, long maxFileBytes,
                      IdempotencyRecords records, Duration lease) {
        this.records = records;
        this.lease = lease;
        this.config = config;
        this.intake = intake;
        this.store = store;
        this.archive = archive;
        this.files = files;
        this.clock = clock;
        this.limits = limits;
        this.maxFileBytes = maxFileBytes;
    }

    /** What became of one dropped file. */
    public record Summary(String key, String outcome, String receiptId, int accepted, int duplicates, int rejected,
                          String resultsKey, String movedTo) {
        static Summary ignored(String key, String why) {
            return new Summary(key, why, null, 0, 0, 0, null, null);
        }
    }

    /** The parts of a drop key: {@code <user>/<folder>/<name>}. */
    public record DropKey(String user, String folder, String name) {
        public static Optional<DropKey> parse(String key) {
            String[] parts = key.split("/", 3);
            if (parts.length != 3 || parts[2].isEmpty() || parts[2].contains("/")) {
                return Optional.empty();
            }
            return Optional.of(new DropKey(parts[0], parts[1], parts[2]));
        }

        /**
         * Names the hub takes: at most 200 characters, no control characters, no characters that mean something to
         * a shell, a spreadsheet or another file system ({@code \\ : * ? " < > |}), not {@code .} or {@code ..}.
         */
        public boolean hasAcceptableName() {
            if (name.length() > 200 || name.equals(".") || name.equals("..") || name.isBlank()) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 0x20 || c == 0x7f || "\\:*?\"<>|".indexOf(c) >= 0 || Character.isISOControl(c)
                        || Character.getType(c) == Character.FORMAT) {
                    return false;
                }
            }
            return true;
        }

        /** Names that clients use while a file is still being written. */
        public boolean isTemporary() {
            String n = name.toLowerCase(Locale.ROOT);
            return n.startsWith(".") || n.endsWith(".part") || n.endsWith(".tmp") || n.endsWith(".filepart")
                    || n.endsWith(".partial") || n.endsWith("~");
        }

        String in(String otherFolder, String otherName) {
            return user + "/" + otherFolder + "/" + otherName;
        }
    }

    /** A file dropped by an agency's SFTP user: the user's agency is the sender. */
    public Summary run(String key) {
        Optional<DropKey> parsed = DropKey.parse(key);
        if (parsed.isEmpty()) {
            return Summary.ignored(key, "ignored: not in an inbound folder");
        }
        String user = parsed.get().user();
        // an SFTP user's home, or the folder of an agency whose files the hub pulls
        Optional<Agency> agency = config.current().agencyBySftpUser(user)
                .or(() -> config.current().agency(user).filter(a -> a.pull() != null));
        if (agency.isEmpty()) {
            LOG.warn("file dropped by unknown SFTP user; left in place");
            return Summary.ignored(key, "ignored: unknown user");
        }
        return run(agency.get(), key);
    }

    /** A file of this agency, at {@code <folder owner>/inbound/<name>} in the file drop. */
    public Summary run(Agency sender, String key) {
        Optional<DropKey> parsed = DropKey.parse(key);
        if (parsed.isEmpty() || !INBOUND.equals(parsed.get().folder())) {
            return Summary.ignored(key, "ignored: not in an inbound folder");
        }
        DropKey drop = parsed.get();
        if (drop.isTemporary()) {
            return Summary.ignored(key, "ignored: still being uploaded");
        }
        if (!files.exists(key)) {
            return Summary.ignored(key, "ignored: already moved");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String receiptId = ReferralIds.newId(now);
        ResultsFile results = new ResultsFile();
        if (!drop.hasAcceptableName()) {
            // never echoed: the file and its answer take a name the hub makes
            results.stopped("the file name is not accepted: use letters, digits, spaces, dots, dashes, underscores "
                    + "and parentheses, at most 200 characters; nothing was read");
            DropKey renamed = new DropKey(drop.user(), drop.folder(), "refused-" + receiptId);
            String resultsKey = drop.in("results", renamed.name() + ".results.csv");
            files.write(resultsKey, results.toCsv());
            String movedTo = drop.in("error", renamed.name());
            files.move(key, movedTo);
            LOG.warn("file {} of agency {} refused for its name", receiptId, sender.id());
            return new Summary(key, "refused-name", receiptId, 0, 0, 0, resultsKey, movedTo);
        }
        byte[] content;
        try {
            content = files.read(key, maxFileBytes);
        } catch (FileDropStore.TooLargeException e) {
            results.stopped(e.getMessage());
            return finish(drop, receiptId, results, true);
        }
        String scope = "file:" + sender.id();
        String hash = Sha256.hex(content);
        IdempotencyRecords.Claim claim = records.begin(scope, hash, receiptId, now, lease, REMEMBER);
        // the same content being read right now (uploaded twice at once): wait a little for its answer
        for (int waited = 0; claim instanceof IdempotencyRecords.InProgress && waited < WAIT_FOR_TWIN; waited++) {
            pause();
            claim = records.begin(scope, hash, receiptId, clock.instant(), lease, REMEMBER);
        }
        if (claim instanceof IdempotencyRecords.InProgress busy) {
            LOG.info("file {} is being processed as receipt {}; left in place", receiptId, busy.owner());
            return Summary.ignored(key, "ignored: in progress");
        }
        if (claim instanceof IdempotencyRecords.Completed done) {
            Optional<Map<String, Object>> waiting = mappingsChangedSince(sender, done.owner())
                    ? store.takeForReplay(done.owner(), now) : Optional.empty();
            if (waiting.isPresent()) {
                // sent again while rows of its first reading wait (held for the mapping, rejected): read again under
                // the first receipt, so each row keeps its referral id
                LOG.info("file {} of agency {} sent again: its rows are read again under receipt {}", receiptId,
                        sender.id(), done.owner());
                Reading reading = new Reading(sender, done.owner(), ReferralIds.timeOf(done.owner()), true, null, null);
                String rawRef = String.valueOf(waiting.get().get("rawPayloadRef"));
                boolean unreadable = read(reading, drop.name(), content, rawRef, results);
                Summary summary = finish(drop, done.owner(), results, unreadable);
                recordRejected(reading, drop.user(), drop.name(), rawRef, results);
                return summary;
            }
            results.stopped("this file was already processed (receipt " + done.owner()
                    + "); nothing was stored again");
            return finish(drop, receiptId, results, false);
        }
        IdempotencyRecords.Started started = (IdempotencyRecords.Started) claim;
        if (started.resumed()) {
            LOG.info("file {} of agency {}: taking over from a reader that stopped", started.owner(), sender.id());
        }
        Reading reading = new Reading(sender, started.owner(), started.startedAt(), started.resumed(), scope, hash);
        try {
            String rawRef = archive.store(new RawPayload(reading.receiptId, Channel.SFTP, sender.id(),
                    reading.receivedAt, contentType(drop.name()), content));
            boolean unreadable = read(reading, drop.name(), content, rawRef, results);
            Summary summary = finish(drop, reading.receiptId, results, unreadable);
            recordRejected(reading, drop.user(), drop.name(), rawRef, results);
            records.complete(scope, hash, reading.receiptId, null, clock.instant(), REMEMBER);
            return summary;
        } catch (RuntimeException e) {
            // the file stays in inbound/ and its claim lapses: taken again by the next event or the leftover sweep
            records.release(scope, hash, reading.receiptId);
            throw e;
        }
    }

    /**
     * Erases the agency's own copies of the file behind {@code receiptId}: once processed it was moved to
     * {@code archive/<receipt>_<name>} in the agency's SFTP home (or, pulled from its server, the hub's folder for
     * it), and every stored version goes. Answers the keys erased.
     */
    public List<String> eraseProcessedCopies(Agency agency, String receiptId) {
        List<String> erased = new ArrayList<>();
        Set<String> homes = new LinkedHashSet<>();
        if (agency.sftp() != null && agency.sftp().username() != null) {
            homes.add(agency.sftp().username());
        }
        homes.add(agency.id());
        for (String home : homes) {
            erased.addAll(files.erase(home + "/archive/" + receiptId + "_"));
        }
        return erased;
    }

    /**
     * Runs an archived file again under its own receipt — after the agency's mapping was fixed, say: rows accepted
     * before are answered as they are (same referral ids), rows rejected before are read with today's
     * configuration. The results go to {@code results/<name>.replay-<time>.results.csv}.
     */
    public Summary replay(String agencyId, String receiptId, String dropUser, String fileName, String rawRef) {
        Agency sender = config.current().agency(agencyId).orElseThrow(
                () -> new IllegalArgumentException("agency " + agencyId + " is no longer configured"));
        byte[] content = archive.read(rawRef);
        ResultsFile results = new ResultsFile();
        Reading reading = new Reading(sender, receiptId, ReferralIds.timeOf(receiptId), true, null, null);
        read(reading, fileName, content, rawRef, results);
        String resultsKey = dropUser + "/results/" + fileName + ".replay-"
                + clock.instant().toString().replace(":", "") + ".results.csv";
        files.write(resultsKey, results.toCsv());
        recordRejected(reading, dropUser, fileName, rawRef, results);
        LOG.info("file {} of agency {} replayed: {} accepted, {} rejected", receiptId, agencyId, results.accepted(),
                results.rejected());
        return new Summary(fileName, "replayed", receiptId, results.accepted(), results.duplicates(), results.rejected(),
                resultsKey, null);
    }

    /** A digest of the mappings the agency's files are read with, in every format: what a file's reading depends on. */
    private String mappingsDigest(Agency agency) {
        Map<String, Object> used = new TreeMap<>();
        for (String format : List.of("csv", "xlsx", "json")) {
            String id = agency.fileMappingFor(format);
            used.put(format, config.current().mappings().get(id));
        }
        return Sha256.hex(CanonicalJson.write(used));
    }

    /** Whether the mappings of the agency's files changed since a reading of its rows waits (held or rejected). */
    private boolean mappingsChangedSince(Agency agency, String receiptId) {
        return store.quarantined(receiptId).map(doc -> CanonicalJson.read(doc, Map.class).get("mappings"))
                .map(before -> !before.equals(mappingsDigest(agency))).orElse(false);
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Files whose rows were rejected are listed for administrators, to replay once the cause is fixed. */
    private void recordRejected(Reading reading, String dropUser, String fileName, String rawRef, ResultsFile results) {
        if (results.rejected() > 0 || results.held() > 0) {
            int all = results.rejected() + results.held() + results.accepted() + results.duplicates();
            store.quarantine(reading.receiptId, Channel.SFTP.code(), reading.agency.id(), "rejected-rows",
                    (results.rejected() > 0 ? results.rejected() + " of " + all + " rows rejected; first: "
                            + results.firstProblem() : results.held() + " of " + all + " rows held for the mapping"),
                    rawRef, clock.instant(), Map.of("fileName", fileName, "dropUser", dropUser,
                            "mappings", mappingsDigest(reading.agency)));
        }
    }

    /**
     * Files left in {@code inbound/} longer than the lease — the hub stopped or crashed while taking them, or their
     * event was lost — are taken now (the content-hash claim makes this safe to run any time, anywhere).
     */
    public List<Summary> takeLeftovers(int limit) {
        List<Summary> out = new ArrayList<>();
        for (String key : files.leftIn(INBOUND, clock.instant().minus(lease), limit)) {
            try {
                out.add(run(key));
            } catch (RuntimeException e) {
                LOG.warn("left-over file could not be taken yet: {}", e.getClass().getSimpleName());
            }
        }
        return out;
    }

    /** One file being read: the receipt it is read under, and the claim it renews. */
    private final class Reading {
        final Agency agency;
        final String receiptId;
        final Instant receivedAt;
        final boolean resumed;
        final String scope;
        final String hash;
        Instant renewedAt;

        Reading(Agency agency, String receiptId, Instant receivedAt, boolean resumed, String scope, String hash) {
            this.agency = agency;
            this.receiptId = receiptId;
            this.receivedAt = receivedAt;
            this.resumed = resumed;
            this.scope = scope;
            this.hash = hash;
            this.renewedAt = clock.instant();
        }

        /** Renews the claim when a quarter of the lease went by; a reader that lost it stops. */
        synchronized void stillHere() {
            Instant now = clock.instant();
            if (scope == null || Duration.between(renewedAt, now).compareTo(lease.dividedBy(4)) < 0) {
                return;
            }
            if (!records.extend(scope, hash, receiptId, receivedAt, now, lease, REMEMBER)) {
                throw new IllegalStateException("file " + receiptId + " was taken over by another reader");
            }
            renewedAt = now;
        }
    }

    /**
     * Imports every row; answers true when the file could not be read at all. Rows are read and mapped while the
     * batches before them are written ({@link BatchWrites}).
     */
    private boolean read(Reading reading, String name, byte[] content, String rawRef, ResultsFile results) {
        Agency agency = reading.agency;
        int rows = 0;
        BatchWrites writes = new BatchWrites();
        try (AgencyFileReader reader = AgencyFileReader.open(intake, agency, name, content, limits)) {
            List<Referral> batch = new ArrayList<>(BATCH);
            List<Integer> batchRows = new ArrayList<>(BATCH);
            while (reader.hasNext()) {
                AgencyFileReader.Row row = reader.next();
                if (rows == 0) {
                    results.notRead(row.draft().notRead());
                }
                rows++;
                String rowRef = rawRef + "#row=" + row.number();
                ReferralIntake.Receipt receipt = new ReferralIntake.Receipt(
                        ReferralIds.derivedId(reading.receivedAt, reading.receiptId + "#row=" + row.number()), agency,
                        Channel.SFTP, reader.mappingId(), reading.receivedAt, rowRef);
                try {
                    batch.add(intake.assemble(receipt, row.draft()));
                    batchRows.add(row.number());
                } catch (InvalidReferralException invalid) {
                    results.add(new ResultsFile.Line(row.number(), ResultsFile.Outcome.REJECTED, null, null,
                            describe(invalid.errors())));
                }
                if (batch.size() == BATCH) {
                    write(writes, batch, batchRows, reading, results);
                    batch = new ArrayList<>(BATCH);
                    batchRows = new ArrayList<>(BATCH);
                }
            }
            write(writes, batch, batchRows, reading, results);
            writes.awaitAll();
            LOG.info("file {} ({}) from agency {}: {} accepted, {} duplicate, {} rejected", reading.receiptId,
                    reader.format(), agency.id(), results.accepted(), results.duplicates(), results.rejected());
            return false;
        } catch (UnreadableFileException e) {
            writes.awaitAll();
            results.stopped(rows == 0 ? "the file cannot be read: " + e.getMessage()
                    : "the file cannot be read past row " + rows + ": " + e.getMessage());
            LOG.info("file {} from agency {} is unreadable after {} rows", reading.receiptId, agency.id(), rows);
            return rows == 0;
        } catch (RuntimeException e) {
            try {
                writes.awaitAll();
            } catch (RuntimeException also) {
                e.addSuppressed(also);
            }
            throw e;
        }
    }

    /** Hands a batch to the writers, named by the claims its referrals will make (its clients, its references). */
    private void write(BatchWrites writes, List<Referral> batch, List<Integer> rows, Reading reading,
                       ResultsFile results) {
        if (batch.isEmpty()) {
            return;
        }
        Set<String> keys = new HashSet<>();
        batch.forEach(r -> keys.addAll(store.claimKeys(r, reading.receivedAt)));
        writes.submit(keys, () -> store(batch, rows, reading, results));
    }

    private void store(List<Referral> batch, List<Integer> rows, Reading reading, ResultsFile results) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, Referral> before = reading.resumed
                ? store.findAll(batch.stream().map(Referral::referralId).toList()) : Map.of();
        List<Referral> fresh = new ArrayList<>(batch.size());
        batch.stream().filter(r -> !before.containsKey(r.referralId())).forEach(fresh::add);
        Iterator<ReferralStore.Stored> stored = store.insertAll(fresh, reading.receivedAt).iterator();
        for (int i = 0; i < batch.size(); i++) {
            Referral mine = batch.get(i);
            Referral earlier = before.get(mine.referralId());
            if (earlier != null && ReferralIntake.rereadable(earlier)) {
                // read again (a replay, or the same file sent again) after the agency's mapping was fixed: the row keeps
                // its referral, now as it reads today — never a second referral for the same person
                Instant now = clock.instant();
                earlier = store.update(earlier.referralId(), current -> ReferralIntake.reread(current, mine, now),
                        changed -> List.of()).orElse(earlier);
            }
            ReferralStore.Stored answer = earlier != null ? new ReferralStore.Stored(earlier, true) : stored.next();
            Referral r = answer.referral();
            // a row stored before under this same receipt (a reader that stopped, a replay) is this row, accepted
            boolean duplicate = answer.duplicate() && !r.referralId().equals(mine.referralId());
            String reasons = duplicate ? "already referred as " + r.referralId()
                    : r.screening().reasons().stream().map(x -> x.message()).collect(Collectors.joining("; "));
            ResultsFile.Outcome outcome = duplicate ? ResultsFile.Outcome.DUPLICATE
                    : r.status() == ReferralStatus.ON_HOLD && ReferralIntake.NOT_UNDERSTOOD.equals(r.statusReason())
                    || NearMatch.isHeld(r) ? ResultsFile.Outcome.HELD : ResultsFile.Outcome.ACCEPTED;
            results.add(new ResultsFile.Line(rows.get(i), outcome, r.referralId(), r.status().code(), reasons));
        }
        reading.stillHere();
    }

    private Summary finish(DropKey drop, String receiptId, ResultsFile results, boolean unreadable) {
        String resultsKey = drop.in("results", drop.name() + ".results.csv");
        files.write(resultsKey, results.toCsv());
        String movedTo = unreadable ? drop.in("error", drop.name()) : drop.in("archive", receiptId + "_" + drop.name());
        files.move(drop.in(drop.folder(), drop.name()), movedTo);
        return new Summary(drop.in(drop.folder(), drop.name()), unreadable ? "unreadable" : "processed", receiptId,
                results.accepted(), results.duplicates(), results.rejected(), resultsKey, movedTo);
    }

    static String describe(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + (e.source() != null && !e.source().equals(e.field())
                ? " (" + e.source() + ")" : "") + ": " + e.message()).collect(Collectors.joining("; "));
    }

    private static String contentType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".xlsx")) {
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        }
        if (n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
            return "application/json";
        }
        return "text/csv";
    }
}
