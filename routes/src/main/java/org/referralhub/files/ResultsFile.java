package org.referralhub.files;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.referralhub.intake.NotRead;

/**
 * The answer to an agency file: one CSV row per input row (row number, outcome, referral id, status, reasons),
 * and a last line when the file could not be read to its end. Values that a spreadsheet would run as a formula are
 * neutralized.
 */
public final class ResultsFile {

    /** What happened to one row. */
    public enum Outcome {
        /** Stored (and, when eligible, on its way to a partner). */
        ACCEPTED,
        /** Referred before: the earlier referral's id. */
        DUPLICATE,
        /** Not stored, with the fields at fault. */
        REJECTED,
        /**
         * Stored, but held: for the mapping (columns it did not read may hold what the screening found missing), or
         * as a near match of an open referral, for the agency to say whether it is another client.
         */
        HELD;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Line(int row, Outcome outcome, String referralId, String status, String reasons) {
    }

    private final List<Line> lines = new ArrayList<>();
    private String stopReason;
    private List<NotRead> notRead = List.of();
    private int held;
    private int accepted;
    private int duplicates;
    private int rejected;

    public synchronized void add(Line line) {
        lines.add(line);
        switch (line.outcome()) {
            case ACCEPTED -> accepted++;
            case DUPLICATE -> duplicates++;
            case REJECTED -> rejected++;
            case HELD -> held++;
        }
    }

    /** The file's columns its mapping read nothing from: a line of their own, each named. */
    public synchronized void notRead(List<NotRead> columns) {
        this.notRead = List.copyOf(columns);
    }

    public synchronized int held() {
        return held;
    }

    /** The file could not be read past this point; rows before it keep their outcome. */
    public synchronized void stopped(String reason) {
        this.stopReason = reason;
    }

    public synchronized int accepted() {
        return accepted;
    }

    public synchronized int duplicates() {
        return duplicates;
    }

    public synchronized int rejected() {
        return rejected;
    }

    /** The first rejected row and why (field names and rules, never values), or empty. */
    public synchronized String firstProblem() {
        return lines.stream().filter(l -> l.outcome() == Outcome.REJECTED).min(Comparator.comparingInt(Line::row))
                .map(l -> "row " + l.row() + ": " + l.reasons()).orElse("");
    }

    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    public synchronized byte[] toCsv() {
        StringBuilder out = new StringBuilder("row,outcome,referralId,status,reasons\r\n");
        List<Line> inOrder = new ArrayList<>(lines);
        inOrder.sort(Comparator.comparingInt(Line::row));
        for (Line line : inOrder) {
            out.append(line.row()).append(',').append(line.outcome().code()).append(',')
                    .append(cell(line.referralId())).append(',').append(cell(line.status())).append(',')
                    .append(cell(line.reasons())).append("\r\n");
        }
        if (!notRead.isEmpty()) {
            out.append(",not-read,,,").append(cell("columns the mapping does not read: " + String.join("; ",
                    notRead.stream().map(NotRead::toString).toList()))).append("\r\n");
        }
        if (stopReason != null) {
            out.append(",unreadable,,,").append(cell(stopReason)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cell(String value) {
        return CsvText.cell(value);
    }
}
