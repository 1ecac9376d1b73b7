package org.referralhub.files;

import java.time.Instant;
import java.util.List;

/**
 * Where agencies' files land and their results go: S3 behind Transfer Family in AWS, the local SFTP server's
 * directory locally. Keys are {@code <sftp user>/<folder>/<file name>}.
 */
public interface FileDropStore {

    /** The file's bytes; refuses a file larger than {@code maxBytes}. */
    byte[] read(String key, long maxBytes);

    /** Writes a file whole: readers never see half of it. */
    void write(String key, byte[] content);

    /** Moves a file, keeping it (nothing is deleted). */
    void move(String from, String to);

    boolean exists(String key);

    /**
     * Deletes, for good, every file whose key starts with {@code prefix} (a folder, then the start of a name) — every
     * stored version too where the store keeps versions — and answers their keys: an erasure.
     */
    List<String> erase(String prefix);

    /**
     * Keys of the files in {@code <user>/<folder>/} of every user last written before {@code before}: files that
     * should have been taken long ago (the hub was stopped, or crashed, while taking them). At most {@code limit}.
     */
    List<String> leftIn(String folder, Instant before, int limit);

    /** A file over the size limit. */
    final class TooLargeException extends RuntimeException {
        public TooLargeException(long size, long max) {
            super("the file has " + size + " bytes; at most " + max + " are accepted", null, false, false);
        }
    }
}
