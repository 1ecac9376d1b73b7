package org.referralhub.config;

import java.util.List;

/** Ordered routing rules: the first that matches decides; no match goes to the fallback partner. */
public record RoutingTable(List<RoutingRule> rules, String fallbackPartner) {

    public RoutingTable {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /**
     * A rule matches when every condition it names holds; a condition's list matches any of its values.
     *
     * @param postalPrefixes  the client's postal code starts with one of these (forward sortation areas)
     * @param occupationCodes the client's NOC occupation code starts with one of these
     * @param languages       the client's preferred or other languages include one of these
     */
    public record RoutingRule(String id, List<String> agencies, List<String> postalPrefixes,
                              List<String> occupationCodes, List<String> languages, String partner) {
        public RoutingRule {
            agencies = agencies == null ? List.of() : List.copyOf(agencies);
            postalPrefixes = postalPrefixes == null ? List.of() : List.copyOf(postalPrefixes);
            occupationCodes = occupationCodes == null ? List.of() : List.copyOf(occupationCodes);
            languages = languages == null ? List.of() : List.copyOf(languages);
        }
    }
}
