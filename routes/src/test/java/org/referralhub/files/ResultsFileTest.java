package org.referralhub.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResultsFileTest {

    @Test
    void formulaPrefixesAreNeutralizedAndSeparatorsQuoted() {
        assertThat(CsvText.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(CsvText.cell("+1 416")).isEqualTo("'+1 416");
        assertThat(CsvText.cell("-5+A1")).isEqualTo("'-5+A1");
        assertThat(CsvText.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvText.cell("a, b")).isEqualTo("\"a, b\"");
        assertThat(CsvText.cell("plain")).isEqualTo("plain");
    }

    /** A plain signed number — an E.164 phone, a negative amount — is data, not a formula: it goes out as it is. */
    @Test
    void aPlainSignedNumberIsLeftAsItIs() {
        assertThat(CsvText.cell("+14165550123")).isEqualTo("+14165550123");
        assertThat(CsvText.cell("-5")).isEqualTo("-5");
        assertThat(CsvText.cell("-12.50")).isEqualTo("-12.50");
        assertThat(CsvText.cell("+1-416-555-0123")).isEqualTo("'+1-416-555-0123");
        assertThat(CsvText.cell("-")).isEqualTo("'-");
    }

    @Test
    void heldRowsAndColumnsNotReadAreSaid() {
        ResultsFile results = new ResultsFile();
        results.add(new ResultsFile.Line(2, ResultsFile.Outcome.HELD, "01ABC", "on-hold", "not understood: Niveau CLB"));
        results.notRead(java.util.List.of(new org.referralhub.intake.NotRead("Niveau CLB", "client.englishLevel"),
                new org.referralhub.intake.NotRead("Remarques", null)));
        String csv = new String(results.toCsv(), StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n")).containsExactly("row,outcome,referralId,status,reasons",
                "2,held,01ABC,on-hold,not understood: Niveau CLB",
                ",not-read,,,\"columns the mapping does not read: Niveau CLB (probably client.englishLevel); Remarques\"");
        assertThat(results.held()).isEqualTo(1);
        assertThat(results.accepted()).isZero();
    }

    @Test
    void rowsComeOutInFileOrderWithCountsAndAStopLine() {
        ResultsFile results = new ResultsFile();
        results.add(new ResultsFile.Line(3, ResultsFile.Outcome.REJECTED, null, null, "client.email: is required"));
        results.add(new ResultsFile.Line(2, ResultsFile.Outcome.ACCEPTED, "01ABC", "requested", ""));
        results.add(new ResultsFile.Line(4, ResultsFile.Outcome.DUPLICATE, "01ABD", "requested", "already referred"));
        results.stopped("the file cannot be read past row 4");
        String csv = new String(results.toCsv(), StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n")).containsExactly(
                "row,outcome,referralId,status,reasons",
                "2,accepted,01ABC,requested,",
                "3,rejected,,,client.email: is required",
                "4,duplicate,01ABD,requested,already referred",
                ",unreadable,,,the file cannot be read past row 4");
        assertThat(results.accepted()).isEqualTo(1);
        assertThat(results.rejected()).isEqualTo(1);
        assertThat(results.duplicates()).isEqualTo(1);
    }
}
