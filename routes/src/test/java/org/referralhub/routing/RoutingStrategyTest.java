package org.referralhub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.referralhub.config.Partner;
import org.referralhub.config.RoutingTable;
import org.referralhub.config.RoutingTable.RoutingRule;
import org.referralhub.referral.Client;

class RoutingStrategyTest {

    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");
    private final ReferralRouter router = new ReferralRouter();
    private final Map<String, Partner> partners = new HashMap<>();

    private void partner(String id, String status, Integer quota, List<String> area) {
        partners.put(id, new Partner(id, id, null, null, null, area, null, new Partner.Capacity(status, quota), null, null, null, null, null));
    }

    private static Client client(String postal) {
        return new Client("A", "B", null, null, null, "en", List.of(), null, postal, null, null, null, "21300", null, null, null);
    }

    private static RoutingRule rule(String id, String strategy, List<String> postal, String... partners) {
        return new RoutingRule(id, null, postal, null, null, null, null, List.of(partners), strategy);
    }

    private ReferralRouter.Route route(RoutingTable table, PartnerLoad load, int n) {
        return router.route(table, id -> Optional.ofNullable(partners.get(id)), "r" + n, "cics", client("M2N 6K1"), NOW, load);
    }

    @Test
    void roundRobinSharesReferralsEvenlyOverMany() {
        partner("a", "accepting", null, null);
        partner("b", "accepting", null, null);
        partner("c", "accepting", null, null);
        RoutingTable table = new RoutingTable(List.of(rule("toronto", RoutingRule.ROUND_ROBIN, null, "a", "b", "c")), null);
        PartnerTally load = new PartnerTally();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.merge(route(table, load, i).partnerId(), 1, Integer::sum);
        }
        assertThat(counts).containsEntry("a", 100).containsEntry("b", 100).containsEntry("c", 100);
        assertThat(route(table, load, 300).partnerId()).isEqualTo("a");
        assertThat(route(table, load, 301).partnerId()).isEqualTo("b");
    }

    @Test
    void aFullPartnerIsPassedOverAndTheNextWithRoomChosen() {
        partner("a", "full", null, null);
        partner("b", "accepting", null, null);
        RoutingTable table = new RoutingTable(List.of(rule("north", RoutingRule.FIXED, null, "a", "b")), null);
        ReferralRouter.Route route = route(table, new PartnerTally(), 0);
        assertThat(route.partnerId()).isEqualTo("b");
        assertThat(route.passedOver()).containsExactly("a (north): full");
    }

    @Test
    void aPartnerOverItsMonthlyQuotaIsSkippedAndTheNextRuleOrTheFallbackDecides() {
        partner("quota", "accepting", 2, null);
        partner("next", "accepting", null, null);
        partner("fallback", "accepting", null, null);
        RoutingTable table = new RoutingTable(List.of(
                rule("first", RoutingRule.FIXED, List.of("M2"), "quota"),
                rule("second", RoutingRule.FIXED, List.of("M"), "next")), "fallback");
        PartnerTally load = new PartnerTally();
        assertThat(route(table, load, 1).partnerId()).isEqualTo("quota");
        assertThat(route(table, load, 2).partnerId()).isEqualTo("quota");
        ReferralRouter.Route third = route(table, load, 3);
        assertThat(third.partnerId()).isEqualTo("next");
        assertThat(third.ruleId()).isEqualTo("second");
        assertThat(third.passedOver()).containsExactly("quota (first): monthly quota of 2 reached");

        partner("next", "full", null, null);
        assertThat(route(table, load, 4).ruleId()).isEqualTo(ReferralRouter.FALLBACK_RULE);
        partner("fallback", "full", null, null);
        ReferralRouter.Route nowhere = route(table, load, 5);
        assertThat(nowhere.found()).isFalse();
        assertThat(nowhere.passedOver()).hasSize(3);
    }

    @Test
    void waitlistedPartnersTakeReferralsOnlyWhenNoAcceptingOneCan() {
        partner("waiting", "waitlist", null, null);
        partner("open", "accepting", null, null);
        RoutingTable table = new RoutingTable(List.of(rule("r", RoutingRule.FIXED, null, "waiting", "open")), null);
        assertThat(route(table, new PartnerTally(), 0).partnerId()).isEqualTo("open");
        partner("open", "full", null, null);
        assertThat(route(table, new PartnerTally(), 0).partnerId()).isEqualTo("waiting");
    }

    @Test
    void leastLoadedComparesEachPartnersShareOfItsQuota() {
        partner("big", "accepting", 40, null);
        partner("small", "accepting", 10, null);
        RoutingTable table = new RoutingTable(List.of(rule("r", RoutingRule.LEAST_LOADED, null, "big", "small")), null);
        PartnerTally load = new PartnerTally();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            counts.merge(route(table, load, i).partnerId(), 1, Integer::sum);
        }
        assertThat(counts).containsEntry("big", 40).containsEntry("small", 10);
        assertThat(route(table, load, 51).found()).isFalse();
    }

    @Test
    void aPartnerOutsideItsServiceAreaIsNotOfferedTheReferral() {
        partner("etobicoke", "accepting", null, List.of("M9"));
        partner("north-york", "accepting", null, List.of("M2", "M3"));
        RoutingTable table = new RoutingTable(List.of(rule("r", RoutingRule.ROUND_ROBIN, null, "etobicoke", "north-york")), null);
        PartnerTally load = new PartnerTally();
        for (int i = 0; i < 5; i++) {
            assertThat(route(table, load, i).partnerId()).isEqualTo("north-york");
        }
    }

    @Test
    void sectorsMatchTheBroadCategoryOfTheNocCode() {
        RoutingRule engineers = new RoutingRule("engineers", null, null, null, List.of("natural-applied-sciences"), null,
                "x", null, null);
        assertThat(ReferralRouter.matches(engineers, "cics", client("M2N"))).isTrue();
        RoutingRule nurses = new RoutingRule("nurses", null, null, null, List.of("health"), null, "x", null, null);
        assertThat(ReferralRouter.matches(nurses, "cics", client("M2N"))).isFalse();
    }
}
