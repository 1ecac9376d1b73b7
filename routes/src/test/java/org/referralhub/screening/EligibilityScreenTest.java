package org.referralhub.screening;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.config.Program;
import org.referralhub.referral.Client;
import org.referralhub.referral.Consent;
import org.referralhub.referral.Screening;

class EligibilityScreenTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Program.EligibilityRules RULES = new Program.EligibilityRules(true, 5, 2, 7);
    private static final Consent CONSENTED = new Consent(true, List.of(), NOW.minusSeconds(3600), null);
    private final EligibilityScreen screen = new EligibilityScreen();

    private static Client client(LocalDate arrival, Integer years, Integer clb) {
        return new Client("A", "B", null, "a@b.ca", null, "en", List.of(), null, null, null, arrival, null, null,
                years, null, clb);
    }

    @Test
    void aClientMeetingEveryRuleIsEligibleWithNoReasons() {
        Screening s = screen.screen(RULES, client(LocalDate.of(2023, 1, 1), 4, 8), CONSENTED, null, NOW);
        assertThat(s.eligible()).isTrue();
        assertThat(s.forwardable()).isTrue();
        assertThat(s.reasons()).isEmpty();
    }

    @Test
    void eachUnmetRuleGivesItsOwnReason() {
        Screening s = screen.screen(RULES, client(LocalDate.of(2019, 1, 1), 1, 6), CONSENTED, null, NOW);
        assertThat(s.eligible()).isFalse();
        assertThat(s.reasons()).extracting(Screening.Reason::code)
                .containsExactly("arrived-too-long-ago", "not-enough-experience", "english-level-too-low");
        assertThat(s.reasons()).allSatisfy(r -> assertThat(r.message()).isNotBlank());
    }

    @Test
    void missingDataDoesNotPassARule() {
        Screening s = screen.screen(RULES, client(null, null, null), CONSENTED, null, NOW);
        assertThat(s.reasons()).extracting(Screening.Reason::code)
                .containsExactly("arrival-date-missing", "experience-missing", "english-level-missing");
    }

    @Test
    void consentMustBeGivenAndCurrent() {
        Client ok = client(LocalDate.of(2023, 1, 1), 4, 8);
        assertThat(screen.screen(RULES, ok, new Consent(false, null, null, null), null, NOW).reasons())
                .extracting(Screening.Reason::code).containsExactly("consent-missing");
        assertThat(screen.screen(RULES, ok, new Consent(true, null, null, NOW.minusSeconds(1)), null, NOW).reasons())
                .extracting(Screening.Reason::code).containsExactly("consent-expired");
    }

    @Test
    void rulesLeftOutAreNotChecked() {
        Screening s = screen.screen(new Program.EligibilityRules(false, null, null, null), client(null, null, null),
                null, null, NOW);
        assertThat(s.eligible()).isTrue();
    }

    @Test
    void anUnsuitableClientStaysEligibleButIsNotForwarded() {
        Screening s = screen.screen(RULES, client(LocalDate.of(2023, 1, 1), 4, 8), CONSENTED, false, NOW);
        assertThat(s.eligible()).isTrue();
        assertThat(s.forwardable()).isFalse();
        assertThat(s.reasons()).extracting(Screening.Reason::code).containsExactly("not-suitable");
    }
}
