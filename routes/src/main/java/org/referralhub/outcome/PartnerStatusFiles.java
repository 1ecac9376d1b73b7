package org.referralhub.outcome;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.referralhub.archive.RawArchive;
import org.referralhub.archive.RawPayload;
import org.referralhub.config.Partner;
import org.referralhub.files.FileDropStore;
import org.referralhub.files.FileImport;
import org.referralhub.files.ResultsFile;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.Sha256;
import org.referralhub.store.IdempotencyRecords;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status files partners drop in their {@code status/} folder on the hub's SFTP server: a CSV of referral id, status,
 * business status, reason and date, one report a row. Each row is applied as an API report would be; a results file
 * in {@code results/} says what became of every row, and the file is archived (raw first) and moved away. The same
 * file twice is answered, not applied twice.
 */
public final class PartnerStatusFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerStatusFiles.class);
    private static final long MAX_BYTES = 5L * 1024 * 1024;
    private static final int MAX_ROWS = 20_000;
    private static final Map<String, String> HEADERS = Map.of("referralid", "referralId", "referral", "referralId",
            "status", "status", "businessstatus", "businessStatus", "milestone", "businessStatus", "reason", "reason",
            "date", "date");

    private final StatusReports reports;
    private final ReferralStore store;
    private final RawArchive archive;
    private final FileDropStore files;
    private final Clock clock;
    private final IdempotencyRecords records;

    public PartnerStatusFiles(StatusReports reports, ReferralStore store, RawArchive archive, FileDropStore files,
                              Clock clock, IdempotencyRecords records) {
        this.records = records;
        this.reports = reports;
        this.store = store;
        this.archive = archive;
        this.files = files;
        this.clock = clock;
    }

    /** A file this partner dropped at {@code <its sftp user>/status/<name>}. */
    public FileImport.Summary run(Partner partner, String key) {
        Optional<FileImport.DropKey> parsed = FileImport.DropKey.parse(key);
        if (parsed.isEmpty() || !"status".equals(parsed.get().folder()) || parsed.get().isTemporary() || !files.exists(key)) {
            return new FileImport.Summary(key, "ignored", null, 0, 0, 0, null, null);
        }
        FileImport.DropKey drop = parsed.get();
        Instant now = clock.instant();
        String receiptId = ReferralIds.newId(now);
        ResultsFile results = new ResultsFile();
        byte[] content;
        try {
            content = files.read(key, MAX_BYTES);
        } catch (FileDropStore.TooLargeException e) {
            results.stopped(e.getMessage());
            return finish(drop, receiptId, results, true);
        }
        archive.store(new RawPayload(receiptId, Channel.SFTP, "partner-" + partner.id(), now, "text/csv", content));
        String sender = "partner-" + partner.id();
        String hash = Sha256.hex(content);
        String scope = "status-file:" + partner.id();
        var claim = records.begin(scope, hash, receiptId, now, Duration.ofMinutes(5), Duration.ofDays(400));
        if (claim instanceof IdempotencyRecords.InProgress) {
            return new FileImport.Summary(key, "ignored: in progress", null, 0, 0, 0, null, null);
        }
        if (claim instanceof IdempotencyRecords.Completed done) {
            results.stopped("this file was already processed (receipt " + done.owner() + "); nothing was applied again");
            return finish(drop, receiptId, results, false);
        }
        FileImport.Summary summary;
        try {
            boolean unreadable = apply(partner, content, results);
            summary = finish(drop, receiptId, results, unreadable);
        } catch (RuntimeException e) {
            records.release(scope, hash, receiptId);
            throw e;
        }
        records.complete(scope, hash, receiptId, null, clock.instant(), Duration.ofDays(400));
        LOG.info("status file {} of partner {}: {} applied, {} refused", receiptId, partner.id(), results.accepted(),
                results.rejected());
        return summary;
    }

    private boolean apply(Partner partner, byte[] content, ResultsFile results) {
        String text = new String(content, StandardCharsets.UTF_8).replace("\uFEFF", "");
        char delimiter = text.lines().findFirst().map(l -> l.chars().filter(c -> c == ';').count()
                > l.chars().filter(c -> c == ',').count() ? ';' : ',').orElse(',');
        try (CSVParser csv = CSVParser.parse(new StringReader(text), CSVFormat.RFC4180.builder().setDelimiter(delimiter)
                .setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setTrim(true).get())) {
            Map<String, String> columns = new HashMap<>();
            for (String header : csv.getHeaderNames()) {
                String known = HEADERS.get(header.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", ""));
                if (known != null) {
                    columns.put(known, header);
                }
            }
            if (!columns.containsKey("referralId")) {
                results.stopped("the file has no 'referralId' column (columns: referralId, status, businessStatus, reason, date)");
                return true;
            }
            for (CSVRecord row : csv) {
                int number = (int) row.getRecordNumber() + 1;
                if (number > MAX_ROWS + 1) {
                    results.stopped("at most " + MAX_ROWS + " rows a file; the rest were not read");
                    break;
                }
                String referralId = cell(row, columns.get("referralId"));
                try {
                    Referral referral = reports.report(partner, new StatusUpdate(referralId, cell(row, columns.get("status")),
                            cell(row, columns.get("businessStatus")), cell(row, columns.get("reason")),
                            date(cell(row, columns.get("date")))));
                    results.add(new ResultsFile.Line(number, ResultsFile.Outcome.ACCEPTED, referral.referralId(),
                            referral.status().code() + (referral.businessStatus() == null ? "" : "/" + referral.businessStatus()), null));
                } catch (Outcomes.RefusedUpdate refused) {
                    results.add(new ResultsFile.Line(number, ResultsFile.Outcome.REJECTED, referralId, null,
                            refused.code().equals("not-yours") ? "You have no referral with this id." : refused.getMessage()));
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            results.stopped("the file is not a readable CSV");
            return true;
        }
    }

    private static String cell(CSVRecord row, String column) {
        if (column == null || !row.isMapped(column) || !row.isSet(column)) {
            return null;
        }
        String value = row.get(column);
        return value == null || value.isBlank() ? null : value;
    }

    private static Instant date(String text) {
        try {
            return StatusUpdate.date(text);
        } catch (IllegalArgumentException e) {
            throw new Outcomes.RefusedUpdate("bad-date", "The date is not an ISO-8601 date (2026-11-23) or instant.");
        }
    }

    private FileImport.Summary finish(FileImport.DropKey drop, String receiptId, ResultsFile results, boolean unreadable) {
        String base = drop.user() + "/";
        String resultsKey = base + "results/" + drop.name() + ".results.csv";
        files.write(resultsKey, results.toCsv());
        String movedTo = base + (unreadable ? "error/" : "archive/") + receiptId + "_" + drop.name();
        files.move(base + drop.folder() + "/" + drop.name(), movedTo);
        return new FileImport.Summary(base + drop.folder() + "/" + drop.name(), unreadable ? "unreadable" : "processed",
                receiptId, results.accepted(), results.duplicates(), results.rejected(), resultsKey, movedTo);
    }
}
