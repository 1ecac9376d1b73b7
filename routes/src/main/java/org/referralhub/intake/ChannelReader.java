package org.referralhub.intake;

import org.referralhub.config.Agency;

/**
 * One channel's reading: what an agency sent, as it came (a webhook body, a file, a message), into referral drafts
 * through the agency's own mapping, each labelled with where it stood, in the sender's words. The webhook's JSON, the
 * agency files (CSV, XLSX, JSON) and e-mail (forms and attachments) each have one; the intake of the channel and the
 * sandbox read through the same one. Drafts come one at a time, so a file of any length streams.
 */
public interface ChannelReader {

    /**
     * A draft and where it stood: {@code where} for the sender ("row 12", "referral 2 in the message"), {@code place}
     * for the raw archive's reference ({@code row=12}, {@code form=2}), null when the input is one referral.
     */
    record Labelled(String where, String place, ReferralDraft draft) {
    }

    /** What reading finds: drafts, and what could not be read, said so that the sender can act on it. */
    interface Found {
        void draft(Labelled draft);

        void problem(String problem);
    }

    /**
     * Reads {@code bytes} sent by {@code agency} ({@code name}: the file's or attachment's name, if any).
     *
     * @throws Unreadable when nothing in it can be read at all
     */
    void read(Agency agency, String name, byte[] bytes, Found found);

    /** The input cannot be read at all; the message says why without quoting it. */
    final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
