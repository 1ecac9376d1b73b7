package org.referralhub.files;

import java.util.regex.Pattern;

/** CSV cells the hub writes, safe to open in a spreadsheet, and otherwise as stored. */
public final class CsvText {

    /** A plain signed number (an E.164 phone, a negative amount): a spreadsheet reads it as a number, not a formula. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]\\d+(\\.\\d+)?");

    private CsvText() {
    }

    /**
     * Quotes when needed, and neutralizes (with a leading {@code '}) what a spreadsheet would evaluate: a cell that
     * starts with {@code = @}, a tab or CR, or with {@code + -} unless it is a plain signed number.
     */
    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        boolean formula = "=@\t\r".indexOf(first) >= 0
                || (first == '+' || first == '-') && !PLAIN_NUMBER.matcher(value).matches();
        String safe = formula ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r") || safe.contains(";")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
