package org.referralhub.files;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One data row of an agency file: {@code number} is the row as the agency sees it (in a spreadsheet with a header
 * row, the first data row is row 2; in JSON, the first record is row 1), {@code fields} maps each column or key to
 * its value.
 */
public record FileRow(int number, ObjectNode fields) {
}
