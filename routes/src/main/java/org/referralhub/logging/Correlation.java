package org.referralhub.logging;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * The correlation id of the work in hand — an API Gateway request id, an S3 event's sequencer, a stream record's
 * event id — put on every log line written meanwhile ({@code correlationId}), with the referral id once there is one
 * ({@code referralId}). Opened by each handler around its call; closing restores what was there before.
 */
public final class Correlation implements AutoCloseable {

    public static final String ID = "correlationId";
    public static final String REFERRAL = "referralId";

    private final String previousId;
    private final String previousReferral;

    private Correlation(String previousId, String previousReferral) {
        this.previousId = previousId;
        this.previousReferral = previousReferral;
    }

    /** Starts a unit of work under {@code id} (a fresh one when null or blank). */
    public static Correlation of(String id) {
        Correlation before = new Correlation(MDC.get(ID), MDC.get(REFERRAL));
        MDC.put(ID, id == null || id.isBlank() ? UUID.randomUUID().toString() : id);
        MDC.remove(REFERRAL);
        return before;
    }

    /** The correlation id in force on this thread (null outside any unit of work): to carry work to another thread. */
    public static String current() {
        return MDC.get(ID);
    }

    /** The referral the work is now about. */
    public static void referral(String referralId) {
        if (referralId == null) {
            MDC.remove(REFERRAL);
        } else {
            MDC.put(REFERRAL, referralId);
        }
    }

    @Override
    public void close() {
        restore(ID, previousId);
        restore(REFERRAL, previousReferral);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
