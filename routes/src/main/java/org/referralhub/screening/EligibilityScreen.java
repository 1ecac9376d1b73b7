package org.referralhub.screening;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.referralhub.config.Program;
import org.referralhub.referral.Client;
import org.referralhub.referral.Consent;
import org.referralhub.referral.Screening;

/**
 * Pre-screens a referral against its program's eligibility rules and says why when it falls short.
 * A rule whose data is missing is not met: the program cannot take the client on faith.
 */
public final class EligibilityScreen {

    public Screening screen(Program.EligibilityRules rules, Client client, Consent consent, Boolean suitable,
                            Instant now) {
        List<Screening.Reason> reasons = new ArrayList<>();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        if (!Boolean.FALSE.equals(rules.consentRequired())) {
            if (consent == null || !Boolean.TRUE.equals(consent.given())) {
                reasons.add(new Screening.Reason("consent-missing",
                        "the client has not consented to be referred"));
            } else if (!consent.isValidAt(now)) {
                reasons.add(new Screening.Reason("consent-expired", "the client's consent has expired"));
            }
        }
        if (rules.arrivedWithinYears() != null) {
            if (client.arrivalDate() == null) {
                reasons.add(new Screening.Reason("arrival-date-missing",
                        "the program takes clients who arrived in Canada within " + rules.arrivedWithinYears()
                                + " years; the arrival date is missing"));
            } else if (client.arrivalDate().isBefore(today.minusYears(rules.arrivedWithinYears()))) {
                reasons.add(new Screening.Reason("arrived-too-long-ago",
                        "the client arrived in Canada more than " + rules.arrivedWithinYears() + " years ago"));
            }
        }
        if (rules.minYearsOfExperience() != null) {
            if (client.yearsOfExperience() == null) {
                reasons.add(new Screening.Reason("experience-missing",
                        "the program needs " + rules.minYearsOfExperience()
                                + " years of professional experience; years of experience are missing"));
            } else if (client.yearsOfExperience() < rules.minYearsOfExperience()) {
                reasons.add(new Screening.Reason("not-enough-experience",
                        "the program needs at least " + rules.minYearsOfExperience()
                                + " years of professional experience"));
            }
        }
        if (rules.minEnglishLevel() != null) {
            if (client.englishLevel() == null) {
                reasons.add(new Screening.Reason("english-level-missing",
                        "the program needs English at CLB " + rules.minEnglishLevel()
                                + " or above; the English level is missing"));
            } else if (client.englishLevel() < rules.minEnglishLevel()) {
                reasons.add(new Screening.Reason("english-level-too-low",
                        "the program needs English at CLB " + rules.minEnglishLevel() + " or above"));
            }
        }
        if (Boolean.FALSE.equals(suitable)) {
            reasons.add(new Screening.Reason("not-suitable", "the referring coach judged the client not suitable"));
        }
        boolean eligible = reasons.stream().noneMatch(r -> !r.code().equals("not-suitable"));
        return new Screening(eligible, suitable, reasons);
    }
}
