package org.referralhub.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Client;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Output;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralSource;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.RoutingDecision;

class OutcomesTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-02T15:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

    private static Referral delivered() {
        Client client = new Client("A", "B", null, "a@example.org", null, "en", List.of(), null, "M2N6K1", null, null,
                null, null, null, null, null);
        Referral r = new Referral(Referral.SCHEMA_VERSION, "01M84355NZJFZWGBWCRN73267R", "p",
                new ReferralSource("cics", null, "REF-1", RECEIVED, "x"), client, null, null,
                new RoutingDecision("humber", "rule", RECEIVED), null, null, null, List.of(), null, List.of())
                .movedTo(ReferralStatus.REQUESTED, null, null, RECEIVED, "agency:cics");
        Delivery pending = Delivery.pending("dlv", RECEIVED);
        return r.withDelivery(pending.delivered(new DeliveryAttempt(1, RECEIVED,
                Channel.WEBHOOK, "humber", DeliveryAttempt.Outcome.DELIVERED, 200, 5, null)));
    }

    private static Referral apply(Referral r, String status, String business) {
        return Outcomes.apply(r, new StatusUpdate(r.referralId(), status, business, null, null), "humber", NOW);
    }

    @Test
    void aDateWithoutATimeIsThatDayEvenEarlyInTheMorning() {
        // 06:00 in Toronto, 11:00 UTC: the partner reports what happened today, by date
        Instant morning = Instant.parse("2026-11-23T11:00:00Z");
        Referral contacted = Outcomes.apply(delivered(), new StatusUpdate("x", null, "contacted", null,
                StatusUpdate.date("2026-11-23")), "humber", morning);
        assertThat(contacted.businessStatus()).isEqualTo("contacted");
        assertThat(contacted.statusHistory().get(contacted.statusHistory().size() - 1).at()).isBeforeOrEqualTo(morning);
        // the day the referral was made: never recorded before it was made
        Referral sameDay = Outcomes.apply(delivered(), new StatusUpdate("x", null, "contacted", null,
                StatusUpdate.date("2026-11-02")), "humber", NOW);
        assertThat(sameDay.statusHistory().get(sameDay.statusHistory().size() - 1).at()).isEqualTo(RECEIVED);
        assertThatThrownBy(() -> Outcomes.apply(delivered(), new StatusUpdate("x", null, "contacted", null,
                StatusUpdate.date("2026-11-24")), "humber", morning)).hasMessage("The date of the update is in the future.");
    }

    @Test
    void milestonesImplyTheLifecycleAndNeverMoveItBack() {
        Referral contacted = apply(delivered(), null, "contacted");
        assertThat(contacted.status()).isEqualTo(ReferralStatus.ACCEPTED);
        Referral registered = apply(contacted, null, "registered");
        assertThat(registered.status()).isEqualTo(ReferralStatus.IN_PROGRESS);
        Referral contactedAgain = apply(registered, null, "contacted");
        assertThat(contactedAgain.status()).isEqualTo(ReferralStatus.IN_PROGRESS);
        assertThat(contactedAgain.businessStatus()).isEqualTo("contacted");
        assertThat(apply(delivered(), null, "declined").status()).isEqualTo(ReferralStatus.REJECTED);
        assertThat(apply(registered, null, "declined").status()).isEqualTo(ReferralStatus.CANCELLED);
        assertThat(registered.statusHistory()).extracting(h -> h.by()).containsExactly("agency:cics", "partner:humber", "partner:humber");
    }

    @Test
    void aClosedReferralOrABackwardMoveIsRefusedWithTheReason() {
        Referral completed = apply(apply(delivered(), "accepted", null), "completed", null);
        assertThatThrownBy(() -> apply(completed, null, "registered")).hasMessage("The referral is completed and takes no further change.");
        assertThatThrownBy(() -> apply(delivered(), "completed", null))
                .isInstanceOfSatisfying(Outcomes.RefusedUpdate.class, e -> assertThat(e.code()).isEqualTo("invalid-transition"));
        assertThatThrownBy(() -> apply(delivered(), "requested", null)).hasMessage("A partner cannot move a referral back to requested.");
        assertThatThrownBy(() -> apply(delivered(), null, "graduated")).hasMessageStartingWith("Business status 'graduated' needs a status");
        assertThatThrownBy(() -> apply(delivered(), null, null)).hasMessage("Send a status, a business status, or both.");
        assertThatThrownBy(() -> Outcomes.apply(delivered(), new StatusUpdate("x", "accepted", null, null, null), "jobstart", NOW))
                .isInstanceOfSatisfying(Outcomes.RefusedUpdate.class, e -> assertThat(e.code()).isEqualTo("not-yours"));
        assertThatThrownBy(() -> Outcomes.apply(delivered(), new StatusUpdate("x", "accepted", null, null,
                RECEIVED.minusSeconds(3 * 86400)), "humber", NOW)).hasMessage("The date of the update is before the referral was made.");
    }

    @Test
    void aPartnerMayAnswerWhileTheDeliveryIsStillBeingRecordedButNotForAWithheldReferral() {
        Referral sending = delivered().withDelivery(Delivery.pending("dlv", RECEIVED));
        assertThat(apply(sending, "accepted", null).status()).isEqualTo(ReferralStatus.ACCEPTED);
        assertThatThrownBy(() -> apply(delivered().withDelivery(Delivery.withheld()), "accepted", null))
                .hasMessage("This referral has not been sent to you.");
    }

    @Test
    void theAgencysDailyDigestGoesAtItsHour() {
        assertThat(StatusReports.nextDigest(Instant.parse("2026-11-23T15:00:00Z"), 21)).isEqualTo("2026-11-23T21:00:00Z");
        assertThat(StatusReports.nextDigest(Instant.parse("2026-11-23T21:30:00Z"), 21)).isEqualTo("2026-11-24T21:00:00Z");
    }

    @Test
    void outputsAreAddedOnceAsThePartnersAloneOrWithAStepAndAClosedReferralTakesNone() {
        Output match = Output.reported("mentor match", " matched with a mentor ");
        Referral first = Outcomes.apply(delivered(), new StatusUpdate("x", "in-progress", "matched", null, null,
                List.of(match)), "humber", NOW);
        assertThat(first.status()).isEqualTo(ReferralStatus.IN_PROGRESS);
        assertThat(first.outputs()).containsExactly(new Output("mentor match", "matched with a mentor", NOW, "partner:humber"));

        // the same output again is no second one; an output alone keeps the referral where it is, with no history step
        Referral again = Outcomes.apply(first, new StatusUpdate("x", null, null, null, null,
                List.of(match, Output.reported("registration", "cohort 12"))), "humber", NOW.plusSeconds(60));
        assertThat(again.status()).isEqualTo(ReferralStatus.IN_PROGRESS);
        assertThat(again.statusHistory()).isEqualTo(first.statusHistory());
        assertThat(again.outputs()).extracting(Output::type).containsExactly("mentor match", "registration");

        assertThatThrownBy(() -> Outcomes.apply(first, new StatusUpdate("x", null, null, null, null,
                List.of(Output.reported("note", " "))), "humber", NOW)).hasMessageContaining("An output has a type");
        Referral done = apply(first, "completed", null);
        assertThatThrownBy(() -> Outcomes.apply(done, new StatusUpdate("x", null, null, null, null,
                List.of(Output.reported("note", "late"))), "humber", NOW)).hasMessageContaining("takes no further change");
    }
}
