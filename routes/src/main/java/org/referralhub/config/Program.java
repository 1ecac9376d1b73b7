package org.referralhub.config;

/** A program partners deliver (The Mentoring Partnership) and the eligibility rules its referrals must meet. */
public record Program(String id, String name, EligibilityRules eligibility) {

    public Program {
        eligibility = eligibility == null ? EligibilityRules.NONE : eligibility;
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
