package org.referralhub.files;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.referralhub.intake.FieldError;

/**
 * An XLSX workbook, read without a spreadsheet library: the sheet's XML is streamed with StAX (DTDs and external
 * entities off), shared strings and the styles that mark date cells are read first, and every part is read through a
 * size cap so a zip bomb is refused rather than expanded. The first row names the columns.
 */
final class XlsxReferralReader extends LookaheadReader {

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XML.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private final Path copy;
    private final ZipFile zip;
    private final FileLimits limits;
    private final List<String> sharedStrings;
    private final List<Boolean> dateStyles;
    private final InputStream sheetStream;
    private final XMLStreamReader sheet;
    private final List<String> header;
    /** The workbook counts dates from 1904-01-01 (a Mac Excel setting), not from 1900. */
    private boolean date1904;
    private int dataRows;

    XlsxReferralReader(InputStream in, String sheetName, FileLimits limits) throws IOException {
        this.limits = limits;
        this.copy = Files.createTempFile("referral-hub-", ".xlsx");
        try (OutputStream out = Files.newOutputStream(copy)) {
            in.transferTo(out);
        }
        try {
            this.zip = new ZipFile(copy.toFile());
        } catch (ZipException e) {
            Files.deleteIfExists(copy);
            throw new UnreadableFileException("the file is not a readable XLSX workbook (a damaged zip)");
        }
        try {
            String sheetPath = sheetPath(sheetName);
            this.sharedStrings = sharedStrings();
            this.dateStyles = dateStyles();
            ZipEntry entry = zip.getEntry(sheetPath);
            if (entry == null) {
                throw new UnreadableFileException("the workbook has no worksheet part " + sheetPath);
            }
            this.sheetStream = capped(zip.getInputStream(entry));
            this.sheet = XML.createXMLStreamReader(sheetStream);
            // blank rows above the header carry nothing (Numbers leaves one where a table's title is drawn): skipped
            List<String> first = null;
            while (readRow() != null) {
                if (!lastCells.stream().allMatch(h -> h == null || h.isBlank())) {
                    first = lastCells;
                    break;
                }
            }
            if (first == null) {
                throw new UnreadableFileException("the sheet has no header row naming its columns");
            }
            if (first.size() > limits.maxColumns()) {
                throw new UnreadableFileException("the sheet has more than " + limits.maxColumns() + " columns");
            }
            this.header = first.stream().map(h -> h == null ? "" : h.strip()).toList();
        } catch (XMLStreamException e) {
            close();
            throw new UnreadableFileException("the workbook's XML cannot be read");
        } catch (RuntimeException | IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public String format() {
        return "xlsx";
    }

    private String sheetPath(String wanted) throws IOException, XMLStreamException {
        Map<String, String> targets = new HashMap<>();
        XMLStreamReader rels = xml("xl/_rels/workbook.xml.rels");
        while (rels != null && rels.hasNext()) {
            if (rels.next() == XMLStreamConstants.START_ELEMENT && rels.getLocalName().equals("Relationship")) {
                targets.put(rels.getAttributeValue(null, "Id"), rels.getAttributeValue(null, "Target"));
            }
        }
        XMLStreamReader workbook = xml("xl/workbook.xml");
        if (workbook == null) {
            throw new UnreadableFileException("the file is a zip but not an XLSX workbook");
        }
        Map<String, String> sheets = new LinkedHashMap<>();
        while (workbook.hasNext()) {
            if (workbook.next() == XMLStreamConstants.START_ELEMENT && workbook.getLocalName().equals("workbookPr")) {
                String system = workbook.getAttributeValue(null, "date1904");
                date1904 = "1".equals(system) || "true".equalsIgnoreCase(system);
            } else if (workbook.getEventType() == XMLStreamConstants.START_ELEMENT
                    && workbook.getLocalName().equals("sheet")) {
                String id = null;
                for (int i = 0; i < workbook.getAttributeCount(); i++) {
                    if (workbook.getAttributeLocalName(i).equals("id")) {
                        id = workbook.getAttributeValue(i);
                    }
                }
                sheets.put(workbook.getAttributeValue(null, "name"), targets.get(id));
            }
        }
        if (sheets.isEmpty()) {
            throw new UnreadableFileException("the workbook has no sheet");
        }
        String target = wanted == null ? sheets.values().iterator().next() : sheets.get(wanted);
        if (target == null) {
            throw new UnreadableFileException("the workbook has no sheet named '" + wanted + "'");
        }
        return target.startsWith("/") ? target.substring(1) : "xl/" + target;
    }

    private List<String> sharedStrings() throws IOException, XMLStreamException {
        List<String> strings = new ArrayList<>();
        XMLStreamReader r = xml("xl/sharedStrings.xml");
        StringBuilder current = null;
        boolean inText = false;
        while (r != null && r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (r.getLocalName()) {
                    case "si" -> current = new StringBuilder();
                    case "t" -> inText = true;
                    case "rPh" -> inText = false;
                    default -> { }
                }
            } else if (event == XMLStreamConstants.CHARACTERS && inText && current != null) {
                current.append(r.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (r.getLocalName().equals("t")) {
                    inText = false;
                } else if (r.getLocalName().equals("si")) {
                    strings.add(unescaped(current.toString()));
                    current = null;
                }
            }
        }
        return strings;
    }

    /** For each cell style index, whether its number format shows a date. */
    private List<Boolean> dateStyles() throws IOException, XMLStreamException {
        Map<Integer, Boolean> customFormats = new HashMap<>();
        List<Boolean> styles = new ArrayList<>();
        XMLStreamReader r = xml("xl/styles.xml");
        boolean inCellXfs = false;
        while (r != null && r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (r.getLocalName()) {
                    case "numFmt" -> customFormats.put(Integer.parseInt(r.getAttributeValue(null, "numFmtId")),
                            isDatePattern(r.getAttributeValue(null, "formatCode")));
                    case "cellXfs" -> inCellXfs = true;
                    case "xf" -> {
                        if (inCellXfs) {
                            String id = r.getAttributeValue(null, "numFmtId");
                            int format = id == null ? 0 : Integer.parseInt(id);
                            styles.add(customFormats.getOrDefault(format, isBuiltInDate(format)));
                        }
                    }
                    default -> { }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("cellXfs")) {
                inCellXfs = false;
            }
        }
        return styles;
    }

    private static boolean isBuiltInDate(int id) {
        return id >= 14 && id <= 22 || id >= 45 && id <= 47;
    }

    private static boolean isDatePattern(String code) {
        if (code == null) {
            return false;
        }
        String plain = code.replaceAll("\"[^\"]*\"|\\[[^]]*]|\\\\.", "").toLowerCase(Locale.ROOT);
        return plain.matches(".*[dy].*") || plain.matches(".*m.*") && !plain.matches(".*[0#].*");
    }

    private XMLStreamReader xml(String part) throws IOException, XMLStreamException {
        ZipEntry entry = zip.getEntry(part);
        return entry == null ? null : XML.createXMLStreamReader(capped(zip.getInputStream(entry)));
    }

    /** Reading more than the limit from one part means a zip bomb, or a sheet too large to take. */
    private InputStream capped(InputStream in) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > limits.maxUnzippedBytes()) {
                    throw new UnreadableFileException("the workbook expands beyond "
                            + limits.maxUnzippedBytes() / (1024 * 1024) + " MB; it is refused as a possible zip bomb");
                }
            }
        };
    }

    private int rowNumber;
    private List<String> lastCells;
    /** The cells of the last row that hold no value the hub can pass on, by column: why. */
    private Map<Integer, FieldError> lastProblems = new HashMap<>();

    /** Reads the next row element into {@link #lastCells}; answers its row number, or null at the end. */
    private Integer readRow() throws XMLStreamException {
        while (sheet.hasNext()) {
            int event = sheet.next();
            if (event == XMLStreamConstants.START_ELEMENT && sheet.getLocalName().equals("row")) {
                String r = sheet.getAttributeValue(null, "r");
                rowNumber = r == null ? rowNumber + 1 : Integer.parseInt(r);
                lastCells = cells();
                return rowNumber;
            }
        }
        return null;
    }

    private List<String> cells() throws XMLStreamException {
        List<String> cells = new ArrayList<>();
        lastProblems = new HashMap<>();
        int column = 0;
        String type = null;
        int style = 0;
        StringBuilder value = new StringBuilder();
        boolean inValue = false;
        while (sheet.hasNext()) {
            int event = sheet.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (sheet.getLocalName()) {
                    case "c" -> {
                        String ref = sheet.getAttributeValue(null, "r");
                        column = ref == null ? cells.size() : columnIndex(ref);
                        if (column >= limits.maxColumns()) {
                            throw new UnreadableFileException("row " + rowNumber + " has more than "
                                    + limits.maxColumns() + " columns");
                        }
                        type = sheet.getAttributeValue(null, "t");
                        String s = sheet.getAttributeValue(null, "s");
                        style = s == null ? 0 : Integer.parseInt(s);
                        value.setLength(0);
                    }
                    case "v", "t" -> inValue = true;
                    default -> { }
                }
            } else if (event == XMLStreamConstants.CHARACTERS && inValue) {
                if (value.length() + sheet.getTextLength() > limits.maxCellChars()) {
                    throw new UnreadableFileException("a cell of row " + rowNumber + " is longer than "
                            + limits.maxCellChars() + " characters");
                }
                value.append(sheet.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                switch (sheet.getLocalName()) {
                    case "v", "t" -> inValue = false;
                    case "c" -> {
                        while (cells.size() <= column) {
                            cells.add(null);
                        }
                        cells.set(column, cellText(column, type, style, value.toString()));
                    }
                    case "row" -> {
                        return cells;
                    }
                    default -> { }
                }
            }
        }
        return cells;
    }

    /** A cell's value as text, or null — then, when the cell held something the hub cannot pass on, why. */
    private String cellText(int column, String type, int style, String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        if ("e".equals(type)) {
            problem(column, "cell-error", "shows the spreadsheet error " + raw.strip()
                    + ", which is no value: correct the cell or clear it");
            return null;
        }
        if ("s".equals(type)) {
            int index = Integer.parseInt(raw.trim());
            return index < sharedStrings.size() ? sharedStrings.get(index) : null;
        }
        if ("b".equals(type)) {
            return "1".equals(raw.trim()) ? "true" : "false";
        }
        if (type == null || "n".equals(type)) {
            BigDecimal number;
            try {
                // a cell holds a double, which Excel writes with 17 digits (2.0499999999999998): read as the shortest
                // decimal that is the same double — what the workbook's author typed and sees (2.05)
                number = BigDecimal.valueOf(Double.parseDouble(raw.trim()));
            } catch (NumberFormatException e) {
                return raw;
            }
            if (style < dateStyles.size() && dateStyles.get(style)) {
                String date = excelDate(number.doubleValue(), date1904);
                if (date == null) {
                    problem(column, "invalid-date", "holds a date the workbook's calendar does not have (Excel's "
                            + "29 February 1900, or a day before its first): write the date again");
                }
                return date;
            }
            return number.stripTrailingZeros().toPlainString();
        }
        return unescaped(raw);
    }

    private void problem(int column, String code, String message) {
        // the header row itself is read before there is a header: its cells are names, said otherwise
        if (header != null && column < header.size() && !header.get(column).isEmpty()) {
            lastProblems.put(column, new FieldError(header.get(column), header.get(column), code, message));
        }
    }

    /** OOXML's escape of characters XML cannot carry ({@code _x000D_} for a carriage return; {@code _x005F_} an underscore). */
    private static final Pattern ESCAPED = Pattern.compile("_x([0-9A-Fa-f]{4})_");

    /** A text as its author wrote it: OOXML's {@code _xHHHH_} escapes decoded. */
    static String unescaped(String text) {
        if (text.indexOf("_x") < 0) {
            return text;
        }
        Matcher m = ESCAPED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A date in Excel's 1900 date system. */
    static String excelDate(double serial) {
        return excelDate(serial, false);
    }

    /**
     * A date serial as the workbook means it, or null for none: in the 1900 system day 1 is 1900-01-01 and day 60 the
     * 29 February 1900 that Excel counts and no calendar has; in the 1904 system day 0 is 1904-01-01.
     */
    static String excelDate(double serial, boolean date1904) {
        long days = (long) Math.floor(serial);
        if (days < 0 || !date1904 && days == 60) {
            return null;
        }
        LocalDate date = date1904 ? LocalDate.of(1904, 1, 1).plusDays(days)
                : LocalDate.of(1899, 12, days < 60 ? 31 : 30).plusDays(days);
        double fraction = serial - days;
        if (fraction < 1e-9) {
            return date.toString();
        }
        LocalDateTime time = date.atStartOfDay().plusSeconds(Math.round(fraction * 86_400));
        return time.toString();
    }

    static int columnIndex(String cellReference) {
        int index = 0;
        for (char c : cellReference.toCharArray()) {
            if (c < 'A' || c > 'Z') {
                break;
            }
            index = index * 26 + (c - 'A' + 1);
        }
        return index - 1;
    }

    @Override
    public List<String> headers() {
        return List.copyOf(header);
    }

    @Override
    protected FileRow readNext() {
        try {
            while (true) {
                Integer number = readRow();
                if (number == null) {
                    return null;
                }
                ObjectNode fields = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < header.size() && i < lastCells.size(); i++) {
                    String value = lastCells.get(i);
                    if (!header.get(i).isEmpty() && value != null && !value.isBlank() && !fields.has(header.get(i))) {
                        fields.put(header.get(i), value);
                    }
                }
                // an empty row — however far down, formatted or not — is no row
                if (!fields.isEmpty() || !lastProblems.isEmpty()) {
                    if (++dataRows > limits.maxRows()) {
                        throw new UnreadableFileException("the sheet has more than " + limits.maxRows() + " rows");
                    }
                    return new FileRow(number, fields, List.copyOf(lastProblems.values()));
                }
            }
        } catch (XMLStreamException e) {
            throw new UnreadableFileException("the sheet's XML breaks after row " + rowNumber);
        }
    }

    @Override
    public void close() {
        try {
            if (zip != null) {
                zip.close();
            }
        } catch (IOException e) {
            // abandoning the file
        }
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            // a temporary file left behind is removed with the container
        }
    }
}
