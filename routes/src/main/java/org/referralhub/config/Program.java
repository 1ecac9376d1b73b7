package org.referralhub.config;

/** A program partners deliver (The Mentoring Partnership) and the eligibility rules its referrals must meet. */
public record Program(String id, String name, EligibilityRules eligibility, Staleness staleness, Retention retention) {

    /** How long a closed referral is kept when the program does not say: two years. */
    public static final int DEFAULT_MONTHS_AFTER_CLOSED = 24;

    public Program {
        eligibility = eligibility == null ? EligibilityRules.NONE : eligibility;
        retention = retention == null || retention.monthsAfterClosed() == null
                ? new Retention(DEFAULT_MONTHS_AFTER_CLOSED) : retention;
    }

    public Program(String id, String name, EligibilityRules eligibility) {
        this(id, name, eligibility, null, null);
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
