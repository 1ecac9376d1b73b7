package org.referralhub.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * Real workbooks no one here wrote (Apache POI's test data, {@code corpus/xlsx/poi/}; SheetJS's, {@code
 * corpus/xlsx/sheetjs/}, among them workbooks saved by Apple Numbers and Google Sheets), read by the hub's streaming
 * reader and by Apache POI, the oracle: every data row, every cell under a header, the same value — text, number,
 * boolean, date — or, for a cell showing an error, the same refusal. Hostile or broken files are refused as unreadable,
 * never another exception. The counts are README's.
 */
class XlsxCorpusTest {

    static final List<String> WORKBOOKS = List.of("sheetjs/Attendance", "sheetjs/minimal_112",
            "sheetjs/DataTypesFormats", "SampleSS", "DateFormatTests", "57482-OnlyNumeric", "AmpersandHeader",
            "table-sample", "decimal-format", "56557", "github-321", "InlineStrings", "InlineString", "noSharedStringTable",
            "Booleans", "SimpleMultiCell", "59746_NoRowNums", "TwoSheetsNoneHidden", "template", "1_NoIden", "54764",
            "48779", "49966", "47862", "58747", "60289", "56170", "WidthsAndHeights", "50786-indexed_colours", "45430");
    static final List<String> HOSTILE = List.of("poc-xmlbomb", "poc-xmlbomb-empty", "xlsx-corrupted", "MalformedSSTCount",
            "crash-274d6342e4842d61be0fb48eaadad6208ae767ae",
            "clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808");

    @Test
    void everyRealWorkbookReadsAsPoiReadsIt() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int agreed = 0;
        List<String> refusedByBoth = new ArrayList<>();
        int cells = 0;
        for (String name : WORKBOOKS) {
            byte[] bytes = bytes(name);
            Map<Integer, Map<String, String>> expected;
            try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
                expected = oracle(book.getSheetAt(0), book.isDate1904());
            } catch (RuntimeException | IOException poiRefuses) {
                expected = null;   // POI will not read it (an entity declaration, say): the hub must refuse it too
            }
            Map<Integer, Map<String, String>> actual = new LinkedHashMap<>();
            try (ReferralFileReader reader = ReferralFileReader.open(name + ".xlsx", new ByteArrayInputStream(bytes), null,
                    FileLimits.DEFAULT)) {
                reader.forEachRemaining(row -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    row.fields().fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));
                    row.refused().forEach(e -> values.put(e.source(), "#refused:" + e.code()));
                    actual.put(row.number(), values);
                });
            } catch (UnreadableFileException e) {
                if (expected == null) {
                    refusedByBoth.add(name + " (" + e.getMessage() + ")");
                    continue;
                }
                mismatches.add(name + ": refused (" + e.getMessage() + ") where POI reads it");
                continue;
            }
            if (expected == null) {
                mismatches.add(name + ": read where POI reads no header row (or nothing)");
                continue;
            }
            for (Integer row : union(expected.keySet(), actual.keySet())) {
                Map<String, String> want = expected.getOrDefault(row, Map.of());
                Map<String, String> got = actual.getOrDefault(row, Map.of());
                cells += want.size();
                if (!want.equals(got)) {
                    mismatches.add(name + " row " + row + ": POI " + want + " / hub " + got);
                }
            }
            agreed++;
        }
        System.out.println("corpus/xlsx/poi: " + agreed + " workbooks read as POI reads them (" + cells + " cells), "
                + refusedByBoth + " refused by both; mismatches: " + mismatches);
        assertThat(mismatches).isEmpty();
        assertThat(agreed + refusedByBoth.size()).isEqualTo(WORKBOOKS.size());
    }

    @Test
    void aNumbersExportWithItsTitleRowAboveTheHeaderReadsFromTheHeaderDown() throws IOException {
        List<FileRow> rows = new ArrayList<>();
        try (ReferralFileReader reader = ReferralFileReader.open("Attendance.xlsx",
                new ByteArrayInputStream(bytes("sheetjs/Attendance")), null, FileLimits.DEFAULT)) {
            assertThat(reader.headers()).startsWith("Date", "Ben \nAshley", "Tom Brooks");
            reader.forEachRemaining(rows::add);
        }
        assertThat(rows.get(0).number()).as("the row number the author sees").isEqualTo(3);
        assertThat(rows.get(0).fields().get("Date").asText()).isEqualTo("2020-10-01");
        assertThat(rows.get(0).fields().get("Tom Brooks").asText()).isEqualTo("true");
    }

    @Test
    void hostileOrBrokenWorkbooksAreRefusedAsUnreadable() throws IOException {
        for (String name : HOSTILE) {
            byte[] bytes = bytes(name);
            try (ReferralFileReader reader = ReferralFileReader.open(name + ".xlsx", new ByteArrayInputStream(bytes), null,
                    FileLimits.DEFAULT)) {
                reader.forEachRemaining(row -> { });
            } catch (UnreadableFileException refused) {
                assertThat(refused.getMessage()).as(name).isNotBlank();
            }
        }
    }

    /** Each data row as POI reads it, by header, in the reader's conventions; null without a header row. */
    private static Map<Integer, Map<String, String>> oracle(Sheet sheet, boolean date1904) {
        Row headerRow = null;
        for (Row row : sheet) {   // the first row with a cell that says something
            boolean blank = true;
            for (Cell cell : row) {
                String text = text(cell, date1904);
                blank &= text == null || text.isBlank();
            }
            if (!blank) {
                headerRow = row;
                break;
            }
        }
        if (headerRow == null) {
            return null;
        }
        Map<Integer, String> header = new HashMap<>();
        for (Cell cell : headerRow) {
            String text = text(cell, date1904);
            if (text != null && !text.isBlank() && !header.containsValue(text.strip())) {
                header.put(cell.getColumnIndex(), text.strip());
            }
        }
        if (header.isEmpty()) {
            return null;
        }
        Map<Integer, Map<String, String>> rows = new LinkedHashMap<>();
        for (Row row : sheet) {
            if (row.getRowNum() == headerRow.getRowNum()) {
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Cell cell : row) {
                String name = header.get(cell.getColumnIndex());
                String text = text(cell, date1904);
                if (name != null && text != null && !text.isBlank()) {
                    values.put(name, text);
                }
            }
            if (!values.isEmpty()) {
                rows.put(row.getRowNum() + 1, values);
            }
        }
        return rows;
    }

    private static String text(Cell cell, boolean date1904) {
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (type) {
            case STRING -> cell.getRichStringCellValue().getString();
            case BOOLEAN -> Boolean.toString(cell.getBooleanCellValue());
            case ERROR -> "#refused:cell-error";
            case NUMERIC -> {
                double value = cell.getNumericCellValue();
                if (DateUtil.isCellDateFormatted(cell)) {
                    LocalDateTime at = DateUtil.getLocalDateTime(value, date1904);
                    yield at == null ? "#refused:invalid-date" : value == Math.floor(value)
                            ? at.toLocalDate().toString() : at.toString();
                }
                yield BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
            }
            default -> null;
        };
    }

    private static List<Integer> union(java.util.Set<Integer> a, java.util.Set<Integer> b) {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = XlsxCorpusTest.class.getClassLoader().getResourceAsStream("corpus/xlsx/"
                + (name.contains("/") ? name : "poi/" + name) + ".xlsx")) {
            return in.readAllBytes();
        }
    }
}
