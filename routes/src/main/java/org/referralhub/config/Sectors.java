package org.referralhub.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Occupational sectors as routing rules and partners name them: the ten broad occupational categories of the
 * National Occupational Classification (NOC 2021), each the first digit of a NOC code.
 */
public final class Sectors {

    private static final Map<String, String> FIRST_DIGIT = new LinkedHashMap<>();

    static {
        FIRST_DIGIT.put("management", "0");
        FIRST_DIGIT.put("business-finance-administration", "1");
        FIRST_DIGIT.put("natural-applied-sciences", "2");
        FIRST_DIGIT.put("health", "3");
        FIRST_DIGIT.put("education-law-social-government", "4");
        FIRST_DIGIT.put("art-culture-recreation-sport", "5");
        FIRST_DIGIT.put("sales-service", "6");
        FIRST_DIGIT.put("trades-transport-equipment", "7");
        FIRST_DIGIT.put("natural-resources-agriculture", "8");
        FIRST_DIGIT.put("manufacturing-utilities", "9");
    }

    private Sectors() {
    }

    /** Every sector name the hub knows. */
    public static Set<String> names() {
        return FIRST_DIGIT.keySet();
    }

    public static boolean known(String sector) {
        return FIRST_DIGIT.containsKey(sector);
    }

    /** The sector of a NOC code, if the code has one. */
    public static Optional<String> of(String occupationCode) {
        if (occupationCode == null || occupationCode.isEmpty()) {
            return Optional.empty();
        }
        String digit = occupationCode.substring(0, 1);
        return FIRST_DIGIT.entrySet().stream().filter(e -> e.getValue().equals(digit)).map(Map.Entry::getKey).findFirst();
    }
}
