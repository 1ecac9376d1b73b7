package org.referralhub.files;

/** A file that cannot be read at all; the message says why in words fit for the agency (no content quoted). */
public class UnreadableFileException extends RuntimeException {

    public UnreadableFileException(String message) {
        super(message, null, false, false);
    }
}
