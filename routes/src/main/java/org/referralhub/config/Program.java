package org.referralhub.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A program partners deliver (The Mentoring Partnership) and the eligibility rules its referrals must meet. */
public record Program(String id, String name, EligibilityRules eligibility, Staleness staleness, Retention retention,
                      NearMatch nearMatch) {

    /** How long a closed referral is kept when the program does not say: two years. */
    public static final int DEFAULT_MONTHS_AFTER_CLOSED = 24;

    public Program {
        eligibility = eligibility == null ? EligibilityRules.NONE : eligibility;
        retention = retention == null || retention.monthsAfterClosed() == null
                ? new Retention(DEFAULT_MONTHS_AFTER_CLOSED) : retention;
        nearMatch = nearMatch == null ? NearMatch.ACCEPT : nearMatch;
    }

    public Program(String id, String name, EligibilityRules eligibility) {
        this(id, name, eligibility, null, null, null);
    }

    /**
     * What the hub does with a near match: a referral, without an agency reference, of a client whose name is that
     * of an open referral of the program while no contact is the same (the same name with the same e-mail or phone
     * is the same client, answered as a duplicate whatever this says). {@code accept} (the default): a referral like
     * any other; {@code hold}: stored on hold, not sent, until its agency says whether it is another client (then it
     * is routed and delivered) or the same one (then it is cancelled).
     */
    public enum NearMatch {
        ACCEPT, HOLD;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static NearMatch of(String code) {
            for (NearMatch value : values()) {
                if (value.code().equals(code)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("nearMatch must be accept or hold");
        }
    }

    /**
     * How long the hub keeps a referral once it is closed (completed, cancelled, rejected or failed): then the table
     * forgets it (DynamoDB TTL in AWS, the local hub's retention sweep locally).
     */
    public record Retention(Integer monthsAfterClosed) {
    }

    /**
     * What the hub does about a delivered referral the partner neither accepted nor rejected: after
     * {@code remindAfterBusinessDays} it reminds the partner (webhook or e-mail partners); after
     * {@code rerouteAfterBusinessDays} it sends the referral to the next eligible partner and tells the agency.
     * Business days are Monday to Friday (UTC); a null limit is not applied.
     */
    public record Staleness(Integer remindAfterBusinessDays, Integer rerouteAfterBusinessDays) {
    }

    /**
     * Each rule is optional: a null limit is not checked.
     *
     * @param consentRequired      consent given and not expired
     * @param arrivedWithinYears   arrival in Canada no longer ago than this
     * @param minYearsOfExperience professional experience of at least this
     * @param minEnglishLevel      English at this Canadian Language Benchmark or above
     */
    public record EligibilityRules(Boolean consentRequired, Integer arrivedWithinYears, Integer minYearsOfExperience,
                                   Integer minEnglishLevel) {
        public static final EligibilityRules NONE = new EligibilityRules(true, null, null, null);
    }
}
