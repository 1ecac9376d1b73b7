package org.referralhub.intake;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;

/**
 * Reads a country as agencies write it ("India", "Inde", "IND", "IN", "Viet Nam") and answers its
 * ISO 3166-1 alpha-2 code.
 */
public final class Countries {

    private static final Map<String, String> LOOKUP = new HashMap<>();

    static {
        for (String code : Locale.getISOCountries()) {
            Locale country = new Locale("", code);
            LOOKUP.put(Languages.key(code), code);
            try {
                LOOKUP.put(Languages.key(country.getISO3Country()), code);
            } catch (MissingResourceException ignored) {
                // no alpha-3 known
            }
            LOOKUP.putIfAbsent(Languages.key(country.getDisplayCountry(Locale.ENGLISH)), code);
            LOOKUP.putIfAbsent(Languages.key(country.getDisplayCountry(Locale.FRENCH)), code);
        }
        alias("US", "usa", "united states of america", "america", "etats unis");
        alias("GB", "uk", "great britain", "england", "scotland", "wales", "royaume uni");
        alias("KR", "korea", "republic of korea", "south korea", "coree du sud");
        alias("KP", "north korea");
        alias("VN", "viet nam");
        alias("TR", "turkey", "turkiye", "turquie");
        alias("RU", "russian federation");
        alias("IR", "iran", "islamic republic of iran");
        alias("SY", "syria", "syrian arab republic", "syrie");
        alias("CD", "democratic republic of the congo", "drc", "congo kinshasa");
        alias("CG", "congo brazzaville", "republic of the congo");
        alias("CI", "ivory coast", "cote d'ivoire", "cote divoire");
        alias("MD", "moldova");
        alias("VE", "venezuela");
        alias("BO", "bolivia");
        alias("TZ", "tanzania");
        alias("PS", "palestine");
        alias("TW", "taiwan");
        alias("HK", "hong kong");
    }

    private Countries() {
    }

    private static void alias(String code, String... names) {
        for (String name : names) {
            LOOKUP.put(Languages.key(name), code);
        }
    }

    public static Optional<String> code(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(LOOKUP.get(Languages.key(text)));
    }
}
