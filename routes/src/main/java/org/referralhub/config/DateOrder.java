package org.referralhub.config;

import java.util.Locale;
import java.util.Set;

/**
 * How an agency writes a date with slashes, dots or dashes when its mapping declares no format: day first
 * ({@code 03/04/2024} is 3 April), month first (4 March), or not said — then a date both orders could read is refused
 * with the reason, never guessed.
 */
public enum DateOrder {
    DAY_FIRST, MONTH_FIRST, NONE;

    private static final Set<String> DAY_FIRST_LANGUAGES = Set.of("fr", "es", "pt", "it", "de", "nl", "ar", "ru", "uk",
            "pl", "tr", "fa", "vi");
    private static final Set<String> DAY_FIRST_ENGLISH = Set.of("GB", "IE", "AU", "NZ", "IN", "ZA", "NG");

    /**
     * The order of a locale ({@code fr-CA}: day first; {@code en-US}: month first; {@code en-CA}, where both are
     * written, or none: not said).
     */
    public static DateOrder of(String localeTag) {
        if (localeTag == null || localeTag.isBlank()) {
            return NONE;
        }
        Locale locale = Locale.forLanguageTag(localeTag.strip());
        if (DAY_FIRST_LANGUAGES.contains(locale.getLanguage())) {
            return DAY_FIRST;
        }
        if ("en".equals(locale.getLanguage())) {
            return "US".equals(locale.getCountry()) ? MONTH_FIRST
                    : DAY_FIRST_ENGLISH.contains(locale.getCountry()) ? DAY_FIRST : NONE;
        }
        return NONE;
    }
}
