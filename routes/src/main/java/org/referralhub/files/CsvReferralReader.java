package org.referralhub.files;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.referralhub.intake.FieldError;

/**
 * CSV with a header row. Encoding: a UTF-8 BOM, else UTF-8 if the first 64 KiB decode as UTF-8, else
 * Windows-1252. Delimiter: whichever of {@code , ; tab} the header line holds most of outside quotes. Quoted fields
 * may hold delimiters and line breaks; CRLF and LF both end a record.
 */
final class CsvReferralReader implements ReferralFileReader {

    private static final int SNIFF_BYTES = 64 * 1024;
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private final FileLimits limits;
    private int row = 1;

    CsvReferralReader(BufferedInputStream in, FileLimits limits) throws IOException {
        this.limits = limits;
        in.mark(SNIFF_BYTES + 4);
        byte[] sniff = in.readNBytes(SNIFF_BYTES);
        in.reset();
        Charset charset;
        if (sniff.length >= 3 && (sniff[0] & 0xff) == 0xEF && (sniff[1] & 0xff) == 0xBB && (sniff[2] & 0xff) == 0xBF) {
            in.skipNBytes(3);
            charset = StandardCharsets.UTF_8;
        } else {
            charset = decodesAsUtf8(sniff) ? StandardCharsets.UTF_8 : WINDOWS_1252;
        }
        if (sniff.length == 0) {
            throw new UnreadableFileException("the file is empty");
        }
        char delimiter = delimiter(new String(sniff, 0, Math.min(sniff.length, 8192), charset));
        Reader reader = new InputStreamReader(in, charset);
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
                .get();
        try {
            this.parser = CSVParser.builder().setReader(reader).setFormat(format).get();
        } catch (IOException | IllegalArgumentException e) {
            throw new UnreadableFileException("the header row cannot be read as CSV");
        }
        this.header = new ArrayList<>();
        for (String name : parser.getHeaderNames()) {
            header.add(name == null ? "" : name.strip());
        }
        if (header.isEmpty() || header.stream().allMatch(String::isEmpty)) {
            throw new UnreadableFileException("the file has no header row naming its columns");
        }
        if (header.size() > limits.maxColumns()) {
            throw new UnreadableFileException("the file has " + header.size() + " columns; at most "
                    + limits.maxColumns() + " are accepted");
        }
        this.records = parser.iterator();
    }

    private static boolean decodesAsUtf8(byte[] bytes) {
        int end = bytes.length;
        // a multi-byte sequence cut by the sniff window is not an error
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0xC0) {
            end = end - back - 1;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The delimiter the first line uses most outside quotes. */
    static char delimiter(String text) {
        int comma = 0;
        int semicolon = 0;
        int tab = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                switch (c) {
                    case ',' -> comma++;
                    case ';' -> semicolon++;
                    case '\t' -> tab++;
                    default -> { }
                }
            }
        }
        if (tab > comma && tab > semicolon) {
            return '\t';
        }
        return semicolon > comma ? ';' : ',';
    }

    @Override
    public String format() {
        return "csv";
    }

    @Override
    public List<String> headers() {
        return List.copyOf(header);
    }

    @Override
    public boolean hasNext() {
        try {
            return records.hasNext();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new UnreadableFileException("the file stops being valid CSV after row " + row);
        }
    }

    @Override
    public FileRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CSVRecord record;
        try {
            record = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new UnreadableFileException("the file stops being valid CSV after row " + row);
        }
        row++;
        if (row - 1 > limits.maxRows()) {
            throw new UnreadableFileException("the file has more than " + limits.maxRows() + " rows");
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        List<FieldError> refused = new ArrayList<>();
        for (int i = 0; i < header.size() && i < record.size(); i++) {
            String value = record.get(i);
            if (value.length() > limits.maxCellChars()) {
                refused.add(new FieldError(header.get(i), header.get(i), "cell-too-long", "is longer than "
                        + limits.maxCellChars() + " characters: the row is refused rather than read with the cell cut"));
                continue;
            }
            if (!header.get(i).isEmpty() && !value.isEmpty() && !fields.has(header.get(i))) {
                fields.put(header.get(i), value);
            }
        }
        return new FileRow(row, fields, refused);
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // nothing left to do with a file being abandoned
        }
    }
}
