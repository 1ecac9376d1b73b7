package org.referralhub.files;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.referralhub.archive.RawArchive;
import org.referralhub.archive.RawPayload;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.intake.FieldError;
import org.referralhub.intake.InvalidReferralException;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.Sha256;
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
    private static final Duration STALE_CLAIM = Duration.ofMinutes(15);

    private final ConfigurationSource config;
    private final ReferralIntake intake;
    private final ReferralStore store;
    private final RawArchive archive;
    private final FileDropStore files;
    private final Clock clock;
    private final FileLimits limits;
    private final long maxFileBytes;

    public FileImport(ConfigurationSource config, ReferralIntake intake, ReferralStore store, RawArchive archive,
                      FileDropStore files, Clock clock, FileLimits limits, long maxFileBytes) {
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
        Optional<Agency> agency = config.current().agencyBySftpUser(parsed.get().user());
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
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String receiptId = ReferralIds.newId(now);
        ResultsFile results = new ResultsFile();
        byte[] content;
        try {
            content = files.read(key, maxFileBytes);
        } catch (FileDropStore.TooLargeException e) {
            results.stopped(e.getMessage());
            return finish(drop, receiptId, results, true);
        }
        String rawRef = archive.store(new RawPayload(receiptId, Channel.SFTP, sender.id(), now,
                contentType(drop.name()), content));
        String hash = Sha256.hex(content);
        Optional<ReferralStore.FileClaim> claim = store.claimFile(sender.id(), hash, receiptId, now, STALE_CLAIM);
        if (claim.isPresent() && !claim.get().done()) {
            LOG.info("file {} is being processed as receipt {}; left in place", receiptId, claim.get().receiptId());
            return Summary.ignored(key, "ignored: in progress");
        }
        if (claim.isPresent()) {
            results.stopped("this file was already processed (receipt " + claim.get().receiptId()
                    + "); nothing was stored again");
            return finish(drop, receiptId, results, false);
        }
        boolean unreadable = read(sender, drop, content, receiptId, rawRef, now, results);
        Summary summary = finish(drop, receiptId, results, unreadable);
        store.fileDone(sender.id(), hash, receiptId, clock.instant());
        return summary;
    }

    /** Imports every row; answers true when the file could not be read at all. */
    private boolean read(Agency agency, DropKey drop, byte[] content, String receiptId, String rawRef, Instant now,
                         ResultsFile results) {
        int rows = 0;
        try (AgencyFileReader reader = AgencyFileReader.open(intake, agency, drop.name(), content, limits)) {
            List<Referral> batch = new ArrayList<>(BATCH);
            List<Integer> batchRows = new ArrayList<>(BATCH);
            while (reader.hasNext()) {
                AgencyFileReader.Row row = reader.next();
                rows++;
                ReferralIntake.Receipt receipt = new ReferralIntake.Receipt(ReferralIds.newId(now), agency, Channel.SFTP,
                        reader.mappingId(), now, rawRef + "#row=" + row.number());
                try {
                    batch.add(intake.assemble(receipt, row.draft()));
                    batchRows.add(row.number());
                } catch (InvalidReferralException invalid) {
                    results.add(new ResultsFile.Line(row.number(), ResultsFile.Outcome.REJECTED, null, null,
                            describe(invalid.errors())));
                }
                if (batch.size() == BATCH) {
                    store(batch, batchRows, now, results);
                }
            }
            store(batch, batchRows, now, results);
            LOG.info("file {} ({}) from agency {}: {} accepted, {} duplicate, {} rejected", receiptId, reader.format(),
                    agency.id(), results.accepted(), results.duplicates(), results.rejected());
            return false;
        } catch (UnreadableFileException e) {
            results.stopped(rows == 0 ? "the file cannot be read: " + e.getMessage()
                    : "the file cannot be read past row " + rows + ": " + e.getMessage());
            LOG.info("file {} from agency {} is unreadable after {} rows", receiptId, agency.id(), rows);
            return rows == 0;
        }
    }

    private void store(List<Referral> batch, List<Integer> rows, Instant now, ResultsFile results) {
        if (batch.isEmpty()) {
            return;
        }
        List<ReferralStore.Stored> stored = store.insertAll(batch, now);
        for (int i = 0; i < stored.size(); i++) {
            Referral r = stored.get(i).referral();
            boolean duplicate = stored.get(i).duplicate();
            String reasons = duplicate ? "already referred as " + r.referralId()
                    : r.screening().reasons().stream().map(x -> x.message()).collect(Collectors.joining("; "));
            results.add(new ResultsFile.Line(rows.get(i), duplicate ? ResultsFile.Outcome.DUPLICATE
                    : ResultsFile.Outcome.ACCEPTED, r.referralId(), r.status().code(), reasons));
        }
        batch.clear();
        rows.clear();
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
