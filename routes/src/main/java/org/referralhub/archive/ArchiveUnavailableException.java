package org.referralhub.archive;

/**
 * The archive cannot take or give back a payload now (a disk, a bucket out of reach). Intake answers it as the
 * store's unavailability: 503 with Retry-After, nothing accepted that could not be archived first.
 */
public final class ArchiveUnavailableException extends RuntimeException {

    public ArchiveUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
