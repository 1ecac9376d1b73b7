package org.referralhub.routing;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.referralhub.config.Partner;
import org.referralhub.config.RoutingTable.RoutingRule;
import org.referralhub.config.RoutingTable;
import org.referralhub.config.Sectors;
import org.referralhub.referral.Client;

/**
 * Decides which delivery partner receives a referral: the first routing rule whose conditions all hold and that has
 * a partner with room, chosen by the rule's strategy; else the fallback partner if it has room. Every partner passed
 * over is noted with the reason, so administrators can see why a referral went where it did.
 */
public final class ReferralRouter {

    /** The rule id recorded when the fallback decided. */
    public static final String FALLBACK_RULE = "fallback";

    /** Routes with no notion of partners' capacity (every partner accepting, no quota). */
    public Optional<Route> route(RoutingTable table, String agencyId, Client client) {
        return Optional.of(route(table, id -> Optional.empty(), null, agencyId, client, Instant.EPOCH, new PartnerTally()))
                .filter(Route::found);
    }

    /** The route; with no partner ({@link Route#found()} false) when no rule nor the fallback can take it. */
    public Route route(RoutingTable table, Function<String, Optional<Partner>> partners, String referralId,
                       String agencyId, Client client, Instant now, PartnerLoad load) {
        return route(table, partners, referralId, agencyId, client, now, load, Set.of());
    }

    /**
     * The same, never choosing a partner of {@code excluded} (one that let the referral go stale): each is passed
     * over as "did not answer".
     */
    public Route route(RoutingTable table, Function<String, Optional<Partner>> partners, String referralId,
                       String agencyId, Client client, Instant now, PartnerLoad load, Set<String> excluded) {
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        List<String> passedOver = new ArrayList<>();
        for (RoutingRule rule : table.rules()) {
            if (matches(rule, agencyId, client)) {
                Optional<String> partner = choose(rule.id(), rule.candidates(), rule.strategy(), partners, client,
                        month, load, passedOver, excluded);
                if (partner.isPresent()) {
                    load.noteRouted(referralId, rule.id(), partner.get(), month);
                    return new Route(partner.get(), rule.id(), passedOver);
                }
            }
        }
        if (table.fallbackPartner() != null) {
            Optional<String> partner = choose(FALLBACK_RULE, List.of(table.fallbackPartner()), RoutingRule.FIXED,
                    partners, null, month, load, passedOver, excluded);
            if (partner.isPresent()) {
                load.noteRouted(referralId, FALLBACK_RULE, partner.get(), month);
                return new Route(partner.get(), FALLBACK_RULE, passedOver);
            }
        }
        return new Route(null, null, passedOver);
    }

    /**
     * The partner a matching rule picks, or empty when none of its partners can take the referral. {@code client}
     * null: the partners' service areas and sectors are not checked (the fallback serves everyone).
     */
    private static Optional<String> choose(String ruleId, List<String> candidates, String strategy,
                                           Function<String, Optional<Partner>> partners, Client client,
                                           YearMonth month, PartnerLoad load, List<String> passedOver,
                                           Set<String> excluded) {
        List<String> accepting = new ArrayList<>();
        List<String> waitlist = new ArrayList<>();
        for (String id : candidates) {
            Optional<Partner> partner = partners.apply(id);
            Partner.Capacity capacity = partner.map(Partner::capacity).orElse(Partner.Capacity.OPEN);
            if (excluded.contains(id)) {
                passedOver.add(id + " (" + ruleId + "): did not answer");
            } else if (partner.map(Partner::isPaused).orElse(false)) {
                passedOver.add(id + " (" + ruleId + "): deliveries paused");
            } else if (Partner.Capacity.FULL.equals(capacity.status())) {
                passedOver.add(id + " (" + ruleId + "): full");
            } else if (capacity.monthlyQuota() != null && load.routedInMonth(id, month) >= capacity.monthlyQuota()) {
                passedOver.add(id + " (" + ruleId + "): monthly quota of " + capacity.monthlyQuota() + " reached");
            } else if (client != null && candidates.size() > 1 && partner.isPresent() && !serves(partner.get(), client)) {
                passedOver.add(id + " (" + ruleId + "): outside its service area or sectors");
            } else if (Partner.Capacity.WAITLIST.equals(capacity.status())) {
                waitlist.add(id);
            } else {
                accepting.add(id);
            }
        }
        List<String> open = accepting.isEmpty() ? waitlist : accepting;
        if (open.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(switch (strategy) {
            case RoutingRule.ROUND_ROBIN -> open.stream()
                    .min(Comparator.comparingLong(id -> load.routedByRule(ruleId, id))).orElseThrow();
            case RoutingRule.LEAST_LOADED -> leastLoaded(open, partners, month, load);
            default -> open.get(0);
        });
    }

    /** Fewest referrals this month, as a share of the monthly quota when every candidate has one. */
    private static String leastLoaded(List<String> open, Function<String, Optional<Partner>> partners, YearMonth month,
                                      PartnerLoad load) {
        boolean quotas = open.stream().allMatch(id -> partners.apply(id)
                .map(p -> p.capacity().monthlyQuota() != null && p.capacity().monthlyQuota() > 0).orElse(false));
        return open.stream().min(Comparator.comparingDouble(id -> {
            double routed = load.routedInMonth(id, month);
            return quotas ? routed / partners.apply(id).orElseThrow().capacity().monthlyQuota() : routed;
        })).orElseThrow();
    }

    /** The partner serves where the client lives and what the client does, as far as either is known. */
    static boolean serves(Partner partner, Client client) {
        if (!partner.serviceArea().isEmpty() && client.postalCode() != null
                && !startsWithAny(compact(client.postalCode()), partner.serviceArea())) {
            return false;
        }
        if (!partner.sectors().isEmpty() && client.occupationCode() != null) {
            return Sectors.of(client.occupationCode()).map(partner.sectors()::contains).orElse(false);
        }
        return true;
    }

    static boolean matches(RoutingRule rule, String agencyId, Client client) {
        if (!rule.agencies().isEmpty() && !rule.agencies().contains(agencyId)) {
            return false;
        }
        if (!rule.postalPrefixes().isEmpty() && !startsWithAny(compact(client.postalCode()), rule.postalPrefixes())) {
            return false;
        }
        if (!rule.occupationCodes().isEmpty() && !startsWithAny(client.occupationCode(), rule.occupationCodes())) {
            return false;
        }
        if (!rule.sectors().isEmpty()
                && !Sectors.of(client.occupationCode()).map(rule.sectors()::contains).orElse(false)) {
            return false;
        }
        if (!rule.languages().isEmpty()) {
            // a client whose languages are not known does not match a language rule (List.contains(null) throws)
            boolean speaks = client.preferredLanguage() != null && rule.languages().contains(client.preferredLanguage())
                    || client.otherLanguages() != null && client.otherLanguages().stream()
                            .anyMatch(l -> l != null && rule.languages().contains(l));
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

    /**
     * The partner chosen, the rule that chose it, and the partners passed over on the way, each with why.
     */
    public record Route(String partnerId, String ruleId, List<String> passedOver) {
        public Route {
            passedOver = passedOver == null ? List.of() : List.copyOf(passedOver);
        }

        public Route(String partnerId, String ruleId) {
            this(partnerId, ruleId, List.of());
        }

        public boolean found() {
            return partnerId != null;
        }
    }
}
