package org.referralhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Client;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralSource;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.RoutingDecision;

class ReferralOverviewTest {

    /** Wednesday 2026-11-25, 10:00 in Toronto. */
    private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");

    private static Referral referral(String id, Channel channel, Instant received, String partner, boolean delivered) {
        Client client = new Client("A", "B", null, "a@example.org", null, "en", List.of(), null, "M2N6K1", null, null,
                null, null, null, null, null);
        Referral r = new Referral(Referral.SCHEMA_VERSION, id, "mentoring-partnership",
                new ReferralSource("cics", channel, "REF-" + id, received, "x"), client, null, null,
                new RoutingDecision(partner, "rule", received, null), null, null, null, List.of(), Delivery.pending("d", received), List.of())
                .movedTo(ReferralStatus.REQUESTED, null, null, received, "agency:cics");
        return delivered ? r.withDelivery(r.delivery().delivered(new DeliveryAttempt(1, received, Channel.WEBHOOK, partner,
                DeliveryAttempt.Outcome.DELIVERED, 200, 5, null))) : r;
    }

    @Test
    void todayAndThisWeekAreCountedByChannelInTheProgramsTime() {
        List<Referral> recent = List.of(
                referral("a", Channel.WEBHOOK, Instant.parse("2026-11-25T14:00:00Z"), "humber", false),   // today, 09:00
                referral("b", Channel.SFTP, Instant.parse("2026-11-25T06:00:00Z"), "humber", false),      // today, 01:00
                referral("c", Channel.SFTP, Instant.parse("2026-11-25T04:30:00Z"), "humber", false),      // Tuesday 23:30
                referral("d", Channel.EMAIL, Instant.parse("2026-11-23T05:30:00Z"), "humber", false),     // Monday 00:30
                referral("e", Channel.EMAIL, Instant.parse("2026-11-23T04:30:00Z"), "humber", false));    // Sunday: last week
        var activity = ReferralOverview.activity(recent, Samples.demoConfiguration(), NOW);
        assertThat(activity.today().total()).isEqualTo(2);
        assertThat(activity.today().byChannel()).isEqualTo(Map.of("webhook", 1, "sftp", 1));
        assertThat(activity.thisWeek().total()).isEqualTo(4);
        assertThat(activity.thisWeek().byChannel()).isEqualTo(Map.of("webhook", 1, "sftp", 2, "email", 1));
    }

    @Test
    void aDeliveredReferralUnansweredPastTheReminderLimitIsStale() {
        // the demo program reminds after 3 business days
        Referral waiting = referral("w", Channel.WEBHOOK, Instant.parse("2026-11-19T15:00:00Z"), "humber", true);   // Thursday
        Referral recent = referral("r", Channel.WEBHOOK, Instant.parse("2026-11-23T15:00:00Z"), "humber", true);    // Monday
        Referral undelivered = referral("u", Channel.WEBHOOK, Instant.parse("2026-11-10T15:00:00Z"), "humber", false);
        var activity = ReferralOverview.activity(List.of(recent, waiting, undelivered), Samples.demoConfiguration(), NOW);
        assertThat(activity.stale()).isEqualTo(1);
        assertThat(activity.staleReferrals()).extracting(ReferralOverview.Line::referralId).containsExactly("w");
    }

    @Test
    void aSearchAnswersTheNewestFirstUpToItsLimitAndSaysMoreMatched() {
        var search = new ReferralOverview.Search(null, "humber", "requested", null, null, 2);
        List<Referral> all = List.of(
                referral("old", Channel.WEBHOOK, Instant.parse("2026-11-01T15:00:00Z"), "humber", false),
                referral("new", Channel.WEBHOOK, Instant.parse("2026-11-20T15:00:00Z"), "humber", false),
                referral("mid", Channel.WEBHOOK, Instant.parse("2026-11-10T15:00:00Z"), "humber", false),
                referral("other", Channel.WEBHOOK, Instant.parse("2026-11-21T15:00:00Z"), "costi", false));
        var found = ReferralOverview.found(search, all.stream().filter(r -> ReferralOverview.matches(search, r)).toList());
        assertThat(found.referrals()).extracting(ReferralOverview.Line::referralId).containsExactly("new", "mid");
        assertThat(found.matched()).isEqualTo(3);
        assertThat(found.more()).isTrue();
    }
}
