package org.referralhub.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads the rows of an agency file one at a time, whatever its format: CSV (any of {@code , ; tab}, UTF-8 with or
 * without BOM or Windows-1252), XLSX (first sheet or a named one), a JSON array or JSON Lines. Rows stream: memory
 * stays bounded whatever the number of rows.
 */
public interface ReferralFileReader extends Iterator<FileRow>, AutoCloseable {

    /** The format actually read, for results and logs: csv, xlsx, json or jsonl. */
    String format();

    /** The header row's column names (empty for JSON, whose records name their own keys). */
    default List<String> headers() {
        return List.of();
    }

    @Override
    void close();

    /**
     * Opens a reader for a file. The format comes from the content (a zip is XLSX, {@code [} a JSON array,
     * {@code &#123;} JSON Lines) and otherwise from the name; anything else is read as CSV.
     *
     * @param sheet the XLSX sheet to read, or null for the first
     */
    static ReferralFileReader open(String fileName, InputStream content, String sheet, FileLimits limits) {
        BufferedInputStream in = new BufferedInputStream(content, 64 * 1024);
        try {
            in.mark(8);
            byte[] head = in.readNBytes(4);
            in.reset();
            String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
            if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
                return new XlsxReferralReader(in, sheet, limits);
            }
            if (name.endsWith(".xlsx") || name.endsWith(".xls")) {
                throw new UnreadableFileException("the file is named like a spreadsheet but is not an XLSX workbook");
            }
            int first = firstNonBlank(in);
            if (first == '[' || name.endsWith(".json") && first != '{') {
                return new JsonReferralReader(in, false, limits);
            }
            if (first == '{' || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                return new JsonReferralReader(in, true, limits);
            }
            return new CsvReferralReader(in, limits);
        } catch (IOException e) {
            // the content is in memory: an I/O error here is a reader refusing the bytes (text in no known encoding)
            throw new UnreadableFileException("the file's bytes are not text in an encoding the hub reads (UTF-8, "
                    + "UTF-16, Windows-1252)");
        }
    }

    /** The first byte that is not white space or a UTF-8 BOM, without consuming anything. */
    private static int firstNonBlank(BufferedInputStream in) throws IOException {
        in.mark(4096);
        try {
            for (int i = 0; i < 4096; i++) {
                int b = in.read();
                if (b < 0) {
                    return -1;
                }
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF) {
                    continue;
                }
                return b;
            }
            return -1;
        } finally {
            in.reset();
        }
    }
}
