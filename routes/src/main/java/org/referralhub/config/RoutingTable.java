package org.referralhub.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/** Ordered routing rules: the first that matches decides; no match goes to the fallback partner. */
public record RoutingTable(List<RoutingRule> rules, String fallbackPartner) {

    public RoutingTable {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /**
     * A rule matches when every condition it names holds; a condition's list matches any of its values. A rule that
     * matches offers the referral to its partners under its strategy; partners that are full, over their monthly
     * quota, or outside their service area or sectors are skipped, and when none is left the next rule is tried.
     *
     * @param postalPrefixes  the client's postal code starts with one of these (forward sortation areas)
     * @param occupationCodes the client's NOC occupation code starts with one of these
     * @param sectors         the client's occupation is in one of these sectors ({@link Sectors})
     * @param languages       the client's preferred or other languages include one of these
     * @param partner         the one partner of the rule, or
     * @param partners        several, chosen by
     * @param strategy        {@code fixed} (the first with room, in order; the default), {@code round-robin} (in turn:
     *                        the one this rule has sent the fewest) or {@code least-loaded} (the fewest this month,
     *                        relative to monthly quotas when every candidate has one)
     */
    public record RoutingRule(String id, List<String> agencies, List<String> postalPrefixes,
                              List<String> occupationCodes, List<String> sectors, List<String> languages,
                              String partner, List<String> partners, String strategy) {

        public static final String FIXED = "fixed";
        public static final String ROUND_ROBIN = "round-robin";
        public static final String LEAST_LOADED = "least-loaded";
        public static final List<String> STRATEGIES = List.of(FIXED, ROUND_ROBIN, LEAST_LOADED);

        public RoutingRule {
            agencies = agencies == null ? List.of() : List.copyOf(agencies);
            postalPrefixes = postalPrefixes == null ? List.of() : List.copyOf(postalPrefixes);
            occupationCodes = occupationCodes == null ? List.of() : List.copyOf(occupationCodes);
            sectors = sectors == null ? List.of() : List.copyOf(sectors);
            languages = languages == null ? List.of() : List.copyOf(languages);
            partners = partners == null ? List.of() : List.copyOf(partners);
            strategy = strategy == null ? FIXED : strategy;
        }

        public RoutingRule(String id, List<String> agencies, List<String> postalPrefixes, List<String> occupationCodes,
                           List<String> languages, String partner) {
            this(id, agencies, postalPrefixes, occupationCodes, null, languages, partner, null, null);
        }

        /** The partners the rule may choose from, in order. */
        @JsonIgnore
        public List<String> candidates() {
            if (!partners.isEmpty()) {
                return partners;
            }
            return partner == null ? List.of() : List.of(partner);
        }

        /** No condition at all: the rule matches every referral. */
        @JsonIgnore
        public boolean matchesEverything() {
            return agencies.isEmpty() && postalPrefixes.isEmpty() && occupationCodes.isEmpty() && sectors.isEmpty()
                    && languages.isEmpty();
        }
    }
}
