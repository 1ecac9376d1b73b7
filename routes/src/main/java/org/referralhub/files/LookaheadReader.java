package org.referralhub.files;

import java.util.NoSuchElementException;

/** A reader that finds its next row ahead of being asked for it: {@link #readNext()} answers null at the end. */
abstract class LookaheadReader implements ReferralFileReader {

    private FileRow next;
    private boolean done;

    /** The next data row, or null when there is none. */
    protected abstract FileRow readNext();

    @Override
    public final boolean hasNext() {
        if (next == null && !done) {
            next = readNext();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public final FileRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        FileRow out = next;
        next = null;
        return out;
    }
}
