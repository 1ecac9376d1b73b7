package org.referralhub.routing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.referralhub.config.RoutingTable;
import org.referralhub.referral.Client;

/**
 * Decides which delivery partner receives a referral: the first routing rule whose conditions all hold, else
 * the fallback partner.
 */
public final class ReferralRouter {

    /** The rule id recorded when the fallback decided. */
    public static final String FALLBACK_RULE = "fallback";

    public Optional<Route> route(RoutingTable table, String agencyId, Client client) {
        for (RoutingTable.RoutingRule rule : table.rules()) {
            if (matches(rule, agencyId, client)) {
                return Optional.of(new Route(rule.partner(), rule.id()));
            }
        }
        return Optional.ofNullable(table.fallbackPartner()).map(p -> new Route(p, FALLBACK_RULE));
    }

    static boolean matches(RoutingTable.RoutingRule rule, String agencyId, Client client) {
        if (!rule.agencies().isEmpty() && !rule.agencies().contains(agencyId)) {
            return false;
        }
        if (!rule.postalPrefixes().isEmpty() && !startsWithAny(compact(client.postalCode()), rule.postalPrefixes())) {
            return false;
        }
        if (!rule.occupationCodes().isEmpty() && !startsWithAny(client.occupationCode(), rule.occupationCodes())) {
            return false;
        }
        if (!rule.languages().isEmpty()) {
            boolean speaks = rule.languages().contains(client.preferredLanguage())
                    || client.otherLanguages().stream().anyMatch(rule.languages()::contains);
            if (!speaks) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithAny(String value, List<String> prefixes) {
        if (value == null) {
            return false;
        }
        return prefixes.stream().anyMatch(p -> value.startsWith(compact(p)));
    }

    private static String compact(String s) {
        return s == null ? null : s.replace(" ", "").toUpperCase(Locale.ROOT);
    }

    /** The partner chosen and the rule that chose it. */
    public record Route(String partnerId, String ruleId) {
    }
}
