package org.referralhub.archive;

/**
 * Keeps every inbound payload, accepted or rejected, before it is parsed, so nothing is ever lost and any input
 * can be looked at or replayed. S3 in AWS, a directory locally.
 */
public interface RawArchive {

    /** Stores the payload and answers a reference to it (a URI) that referrals and errors point to. */
    String store(RawPayload payload);

    /** The archived bytes behind a reference this archive answered. */
    byte[] read(String reference);

    /**
     * Deletes the archived payload behind a reference (a client's erasure), every stored version of it; answers
     * whether there was one. A reference to a row or a form ({@code …#row=3}) deletes the whole file or message.
     */
    boolean erase(String reference);

    /** Answers normally when the archive can take payloads; throws otherwise (health checks). */
    void checkAvailable();
}
