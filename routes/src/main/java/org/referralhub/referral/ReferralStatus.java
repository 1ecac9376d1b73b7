package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The referral lifecycle, after the task status of HL7's SDOH closed-loop referral guide.
 * The program's own milestones (contacted, registered, matched...) travel beside it as a free business status.
 */
public enum ReferralStatus {
    REQUESTED("requested"),
    ACCEPTED("accepted"),
    REJECTED("rejected"),
    IN_PROGRESS("in-progress"),
    ON_HOLD("on-hold"),
    COMPLETED("completed"),
    CANCELLED("cancelled"),
    FAILED("failed");

    private final String code;

    ReferralStatus(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** A closed referral takes no further transition. */
    public boolean isFinal() {
        return this == REJECTED || this == COMPLETED || this == CANCELLED || this == FAILED;
    }

    /** The statuses this one may move to. */
    public Set<ReferralStatus> next() {
        return switch (this) {
            case REQUESTED -> EnumSet.of(ACCEPTED, REJECTED, IN_PROGRESS, ON_HOLD, CANCELLED, FAILED);
            case ACCEPTED -> EnumSet.of(IN_PROGRESS, ON_HOLD, COMPLETED, CANCELLED, FAILED);
            case IN_PROGRESS -> EnumSet.of(ON_HOLD, COMPLETED, CANCELLED, FAILED);
            case ON_HOLD -> EnumSet.of(ACCEPTED, IN_PROGRESS, COMPLETED, CANCELLED, FAILED);
            default -> EnumSet.noneOf(ReferralStatus.class);
        };
    }

    public boolean canMoveTo(ReferralStatus target) {
        return next().contains(target);
    }

    @JsonCreator
    public static ReferralStatus fromCode(String code) {
        String wanted = code == null ? "" : code.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ReferralStatus s : values()) {
            if (s.code.equals(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown referral status '" + code + "'");
    }
}
