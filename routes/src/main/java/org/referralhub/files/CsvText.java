package org.referralhub.files;

/** CSV cells the hub writes, safe to open in a spreadsheet. */
public final class CsvText {

    private CsvText() {
    }

    /** Quotes when needed, and neutralizes a leading {@code = + - @} (or tab, CR) that a spreadsheet would execute. */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r") || safe.contains(";")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
