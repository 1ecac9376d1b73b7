package org.referralhub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.config.RoutingTable;
import org.referralhub.config.RoutingTable.RoutingRule;
import org.referralhub.referral.Client;

class ReferralRouterTest {

    private final ReferralRouter router = new ReferralRouter();
    private final RoutingTable table = new RoutingTable(List.of(
            new RoutingRule("agency-rule", List.of("polycultural"), null, null, null, "jobstart"),
            new RoutingRule("french-in-toronto", null, List.of("M"), null, List.of("fr"), "acces"),
            new RoutingRule("engineers-north-york", null, List.of("M2", "M3"), List.of("213", "214"), null, "jvs"),
            new RoutingRule("north-york", null, List.of("M2", "M3"), null, null, "costi")),
            "humber");

    private static Client client(String postal, String noc, String language, List<String> others) {
        return new Client("A", "B", null, null, null, language, others, null, postal, null, null, null, noc, null, null, null);
    }

    @Test
    void theFirstMatchingRuleDecides() {
        assertThat(router.route(table, "polycultural", client("M2N 6K1", "21300", "en", List.of())))
                .contains(new ReferralRouter.Route("jobstart", "agency-rule"));
        assertThat(router.route(table, "cics", client("M2N 6K1", "21300", "en", List.of())))
                .contains(new ReferralRouter.Route("jvs", "engineers-north-york"));
        assertThat(router.route(table, "cics", client("M3C 1A1", "31120", "en", List.of())))
                .contains(new ReferralRouter.Route("costi", "north-york"));
    }

    @Test
    void languagesMatchPreferredOrOtherLanguages() {
        assertThat(router.route(table, "cics", client("M5V 3L9", null, "en", List.of("fr"))))
                .contains(new ReferralRouter.Route("acces", "french-in-toronto"));
    }

    @Test
    void aRuleWithAConditionTheReferralCannotMeetDoesNotMatch() {
        assertThat(router.route(table, "cics", client(null, null, "fr", List.of())))
                .contains(new ReferralRouter.Route("humber", ReferralRouter.FALLBACK_RULE));
    }

    @Test
    void withoutAMatchOrFallbackThereIsNoRoute() {
        RoutingTable noFallback = new RoutingTable(table.rules(), null);
        assertThat(router.route(noFallback, "cics", client("K1A 0B1", null, "en", List.of()))).isEmpty();
    }
}
