package org.referralhub.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.referralhub.intake.FieldError;

/**
 * One data row of an agency file: {@code number} is the row as the agency sees it (in a spreadsheet with a header
 * row, the first data row is row 2; in JSON, the first record is row 1), {@code fields} maps each column or key to
 * its value, and {@code refused} names each cell the reader could not pass on as it was (too long, say): the row is
 * then refused with those reasons, never read with a cell cut or left out silently.
 */
public record FileRow(int number, ObjectNode fields, List<FieldError> refused) {

    public FileRow {
        refused = refused == null ? List.of() : List.copyOf(refused);
    }

    public FileRow(int number, ObjectNode fields) {
        this(number, fields, List.of());
    }
}
