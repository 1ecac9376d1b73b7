package org.referralhub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class ReferralFileReaderTest {

    static List<FileRow> read(String name, byte[] content) {
        return read(name, content, null, FileLimits.DEFAULT);
    }

    static List<FileRow> read(String name, byte[] content, String sheet, FileLimits limits) {
        List<FileRow> rows = new ArrayList<>();
        try (ReferralFileReader reader = ReferralFileReader.open(name, new ByteArrayInputStream(content), sheet, limits)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void commaSeparatedUtf8WithQuotedDelimitersAndNewlines() {
        String csv = "First Name,Last Name,Notes\r\n\"Amara\",Okafor,\"likes, commas\"\r\nLina,Haddad,\"two\nlines\"\r\n";
        List<FileRow> rows = read("referrals.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).number()).isEqualTo(2);
        assertThat(rows.get(0).fields().get("Notes").asText()).isEqualTo("likes, commas");
        assertThat(rows.get(1).fields().get("Notes").asText()).isEqualTo("two\nlines");
        assertThat(rows.get(1).number()).isEqualTo(3);
    }

    @Test
    void semicolonSeparatedWindows1252WithAccentedNames() {
        String csv = "Prénom;Nom;Courriel\nHélène;Bérubé;helene@exemple.ca\nJosé;Núñez;jose@exemple.ca\n";
        List<FileRow> rows = read("export.csv", csv.getBytes(Charset.forName("windows-1252")));
        assertThat(rows).extracting(r -> r.fields().get("Prénom").asText()).containsExactly("Hélène", "José");
        assertThat(rows.get(1).fields().get("Nom").asText()).isEqualTo("Núñez");
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstHeader() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "Email\tPhone\na@b.ca\t4165550100\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, content, 0, 3);
        System.arraycopy(body, 0, content, 3, body.length);
        List<FileRow> rows = read("tabbed.txt", content);
        assertThat(rows.get(0).fields().get("Email").asText()).isEqualTo("a@b.ca");
        assertThat(rows.get(0).fields().get("Phone").asText()).isEqualTo("4165550100");
    }

    @Test
    void aCellLongerThanTheLimitRefusesItsRowByColumnInsteadOfBeingCut() {
        String csv = "First Name,Notes\r\nAmara," + "x".repeat(10_001) + "\r\nLina,short\r\n";
        List<FileRow> rows = read("referrals.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).refused()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("Notes");
            assertThat(e.code()).isEqualTo("cell-too-long");
            assertThat(e.message()).contains("10000").contains("refused");
        });
        assertThat(rows.get(0).fields().has("Notes")).as("nothing cut is passed on").isFalse();
        assertThat(rows.get(1).refused()).isEmpty();
        assertThat(rows.get(1).fields().get("Notes").asText()).isEqualTo("short");

        var agency = org.referralhub.Samples.demoConfiguration().agency("cics").orElseThrow();
        try (AgencyFileReader reader = AgencyFileReader.open(new org.referralhub.intake.ReferralIntake(
                org.referralhub.Samples.demoConfiguration()), agency, "referrals.csv", csv.getBytes(StandardCharsets.UTF_8),
                FileLimits.DEFAULT)) {
            assertThat(reader.next().draft().errors()).anySatisfy(e -> assertThat(e.code()).isEqualTo("cell-too-long"));
            assertThat(reader.next().draft().errors()).noneSatisfy(e -> assertThat(e.code()).isEqualTo("cell-too-long"));
        }
    }

    @Test
    void blankLinesAreSkippedAndEmptyCellsLeftOut() {
        List<FileRow> rows = read("x.csv", "a,b\n1,\n\n3,4\n".getBytes(StandardCharsets.UTF_8));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).fields().has("b")).isFalse();
    }

    @Test
    void anEmptyFileOrOneWithoutHeaderIsUnreadable() {
        assertThatThrownBy(() -> read("x.csv", new byte[0])).isInstanceOf(UnreadableFileException.class);
        assertThatThrownBy(() -> read("x.csv", ",,\n1,2,3\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("header");
    }

    @Test
    void tooManyRowsIsRefused() {
        StringBuilder csv = new StringBuilder("a\n");
        for (int i = 0; i < 11; i++) {
            csv.append(i).append('\n');
        }
        assertThatThrownBy(() -> read("x.csv", csv.toString().getBytes(StandardCharsets.UTF_8), null,
                new FileLimits(10, 10, 100, 1000)))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("more than 10 rows");
    }

    @Test
    void aJsonArrayAndJsonLines() {
        List<FileRow> array = read("r.json", "[{\"a\": 1}, {\"a\": 2, \"b\": {\"c\": \"x\"}}]".getBytes(StandardCharsets.UTF_8));
        assertThat(array).extracting(FileRow::number).containsExactly(1, 2);
        assertThat(array.get(1).fields().at("/b/c").asText()).isEqualTo("x");
        List<FileRow> lines = read("r.jsonl", "{\"a\": 1}\n{\"a\": 2}\n\n{\"a\": 3}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(lines).hasSize(3);
    }

    @Test
    void brokenJsonSaysWhere() {
        assertThatThrownBy(() -> read("r.json", "[{\"a\": 1}, {\"a\": ]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("record 2");
        assertThatThrownBy(() -> read("r.json", "[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("not a JSON object");
    }

    static byte[] workbook(String sheetName, Object[][] rows) throws Exception {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            book.createSheet("Notes").createRow(0).createCell(0).setCellValue("not the data");
            Sheet sheet = book.createSheet(sheetName);
            book.setSheetOrder(sheetName, 0);
            CellStyle date = book.createCellStyle();
            date.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
            for (int r = 0; r < rows.length; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    Object v = rows[r][c];
                    if (v instanceof String s) {
                        row.createCell(c).setCellValue(s);
                    } else if (v instanceof Number n) {
                        row.createCell(c).setCellValue(n.doubleValue());
                    } else if (v instanceof Boolean b) {
                        row.createCell(c).setCellValue(b);
                    } else if (v instanceof LocalDate d) {
                        var cell = row.createCell(c);
                        cell.setCellValue(d);
                        cell.setCellStyle(date);
                    }
                }
            }
            book.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void anXlsxSheetWithStringsNumbersBooleansAndDates() throws Exception {
        byte[] xlsx = workbook("Referrals", new Object[][]{
                {"First Name", "Years", "Consent", "Arrival"},
                {"Amara", 8, true, LocalDate.of(2024, 3, 15)},
                {"Lina", 10.5, false, LocalDate.of(2022, 6, 30)}});
        List<FileRow> rows = read("referrals.xlsx", xlsx);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).number()).isEqualTo(2);
        assertThat(rows.get(0).fields().get("First Name").asText()).isEqualTo("Amara");
        assertThat(rows.get(0).fields().get("Years").asText()).isEqualTo("8");
        assertThat(rows.get(1).fields().get("Years").asText()).isEqualTo("10.5");
        assertThat(rows.get(0).fields().get("Consent").asText()).isEqualTo("true");
        assertThat(rows.get(0).fields().get("Arrival").asText()).isEqualTo("2024-03-15");
    }

    @Test
    void aNamedSheetCanBeChosen() throws Exception {
        byte[] xlsx = workbook("Referrals", new Object[][]{{"a"}, {"1"}});
        assertThat(read("x.xlsx", xlsx, "Notes", FileLimits.DEFAULT)).isEmpty();
        assertThatThrownBy(() -> read("x.xlsx", xlsx, "Missing", FileLimits.DEFAULT))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("Missing");
    }

    @Test
    void aZipBombIsRefusedNotExpanded() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("xl/workbook.xml"));
            zip.write(new byte[8 * 1024 * 1024]);
            zip.closeEntry();
        }
        assertThatThrownBy(() -> read("bomb.xlsx", bytes.toByteArray(), null, new FileLimits(10, 10, 100, 1024 * 1024)))
                .isInstanceOf(UnreadableFileException.class);
    }

    @Test
    void externalEntitiesInAWorkbookAreNeverResolved() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("xl/workbook.xml"));
            zip.write(("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<workbook><sheets><sheet name=\"&x;\" r:id=\"rId1\" xmlns:r=\"r\"/></sheets></workbook>")
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> read("xxe.xlsx", bytes.toByteArray()))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageNotContaining("root:");
    }

    @Test
    void aDamagedZipOrAFakeSpreadsheetIsUnreadable() {
        assertThatThrownBy(() -> read("x.xlsx", "PK\u0003\u0004garbage".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(UnreadableFileException.class);
        assertThatThrownBy(() -> read("x.xlsx", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableFileException.class).hasMessageContaining("spreadsheet");
    }

    /** A formatted but empty row at the sheet's very end (as LibreOffice saves one) is no row. */
    @Test
    void emptyRowsAtTheSheetsEndAreNotRowsHoweverFarDown() throws Exception {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("Referrals");
            sheet.createRow(0).createCell(0).setCellValue("First Name");
            sheet.createRow(1).createCell(0).setCellValue("Amara");
            CellStyle bold = book.createCellStyle();
            Row last = sheet.createRow(1_048_575);
            last.setRowStyle(bold);
            last.createCell(0).setCellStyle(bold);
            book.write(out);
            List<FileRow> rows = read("referrals.xlsx", out.toByteArray());
            assertThat(rows).singleElement().satisfies(r -> assertThat(r.fields().get("First Name").asText()).isEqualTo("Amara"));
        }
    }

    /** Dates read as Excel and POI read them: the 1904 date system, and serials before 1900-03-01. */
    @Test
    void datesAgreeWithPoiInBothDateSystemsAndBeforeMarch1900() throws Exception {
        for (boolean date1904 : new boolean[] {false, true}) {
            try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
                if (date1904) {
                    book.getCTWorkbook().addNewWorkbookPr().setDate1904(true);
                }
                CellStyle date = book.createCellStyle();
                date.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
                Sheet sheet = book.createSheet("Referrals");
                sheet.createRow(0).createCell(0).setCellValue("Arrival");
                double[] serials = {1, 2, 31, 59, 61, 62, 366, 45366};
                for (int i = 0; i < serials.length; i++) {
                    var cell = sheet.createRow(i + 1).createCell(0);
                    cell.setCellValue(serials[i]);
                    cell.setCellStyle(date);
                }
                book.write(out);
                List<FileRow> rows = read("referrals.xlsx", out.toByteArray());
                assertThat(rows).hasSize(serials.length);
                for (int i = 0; i < serials.length; i++) {
                    LocalDate expected = org.apache.poi.ss.usermodel.DateUtil.getLocalDateTime(serials[i], date1904)
                            .toLocalDate();
                    assertThat(rows.get(i).fields().get("Arrival").asText()).as("serial " + serials[i]
                            + (date1904 ? " (1904)" : " (1900)")).isEqualTo(expected.toString());
                }
            }
        }
    }

    /** Excel's fictional 1900-02-29 (serial 60) is no date; a cell showing an error (#N/A) is no value. */
    @Test
    void anErrorCellOrTheFictionalLeapDayRefusesItsRowByColumn() throws Exception {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle date = book.createCellStyle();
            date.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Sheet sheet = book.createSheet("Referrals");
            Row header = sheet.createRow(0);
            header.createCell(0).setCellValue("First Name");
            header.createCell(1).setCellValue("Arrival");
            header.createCell(2).setCellValue("Years");
            Row na = sheet.createRow(1);
            na.createCell(0).setCellValue("Amara");
            na.createCell(2).setCellErrorValue(org.apache.poi.ss.usermodel.FormulaError.NA.getCode());
            Row leap = sheet.createRow(2);
            leap.createCell(0).setCellValue("Lina");
            var cell = leap.createCell(1);
            cell.setCellValue(60);
            cell.setCellStyle(date);
            book.write(out);
            List<FileRow> rows = read("referrals.xlsx", out.toByteArray());
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).fields().has("Years")).as("an error is no value").isFalse();
            assertThat(rows.get(0).refused()).singleElement().satisfies(e -> {
                assertThat(e.source()).isEqualTo("Years");
                assertThat(e.code()).isEqualTo("cell-error");
                assertThat(e.message()).contains("#N/A");
            });
            assertThat(rows.get(1).fields().has("Arrival")).isFalse();
            assertThat(rows.get(1).refused()).singleElement().satisfies(e -> {
                assertThat(e.source()).isEqualTo("Arrival");
                assertThat(e.code()).isEqualTo("invalid-date");
            });
        }
    }

    @Test
    void excelSerialDates() {
        assertThat(XlsxReferralReader.excelDate(45366)).isEqualTo("2024-03-15");
        assertThat(XlsxReferralReader.excelDate(45366.5)).isEqualTo("2024-03-15T12:00");
        assertThat(XlsxReferralReader.columnIndex("AB12")).isEqualTo(27);
    }
}
