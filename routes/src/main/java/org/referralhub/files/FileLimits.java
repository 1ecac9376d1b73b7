package org.referralhub.files;

/**
 * What one agency file may hold. Beyond these the file is refused with a reason, so a huge or hostile file cannot
 * exhaust the hub.
 *
 * @param maxRows         data rows per file
 * @param maxColumns      columns (or keys) per row
 * @param maxCellChars    characters in one cell
 * @param maxUnzippedBytes bytes an XLSX part may expand to (zip-bomb guard)
 */
public record FileLimits(int maxRows, int maxColumns, int maxCellChars, long maxUnzippedBytes) {

    public static final FileLimits DEFAULT = new FileLimits(200_000, 200, 10_000, 512L * 1024 * 1024);
}
