package org.referralhub.hub;

import java.util.EnumSet;
import java.util.Set;

/** The parts of the hub a function may need: each brings its routes; the health route comes with every one. */
public enum Wing {
    /** Agencies post referrals and read them back (webhook intake, the agency's read door). */
    AGENCY_API,
    /** Partners report outcomes (status API, status links from delivery e-mails). */
    PARTNER_API,
    /** Agency files dropped or pulled by SFTP, partners' status files, and who may log in to the SFTP server. */
    FILES,
    /** Agency e-mail: received messages and agencies' own mailboxes. */
    EMAIL,
    /** Deliveries to partners: the claim and each partner channel's route. */
    DISPATCH,
    /** Notices to agencies, and reminders and re-routing of referrals partners let wait. */
    NOTICES,
    /** The administrators' API, sandbox and console. */
    ADMIN;

    /** Every wing: the local hub, one JVM for all. */
    public static Set<Wing> all() {
        return EnumSet.allOf(Wing.class);
    }
}
