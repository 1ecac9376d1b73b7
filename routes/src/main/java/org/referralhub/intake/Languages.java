package org.referralhub.intake;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;

/**
 * Reads a language as agencies write it ("English", "français", "Punjabi", "fr", "fra") and answers its ISO 639
 * code: the two-letter ISO 639-1 code where there is one, otherwise the ISO 639-3 code (e.g. {@code yue}).
 */
public final class Languages {

    private static final Map<String, String> LOOKUP = new HashMap<>();

    static {
        Locale[] displayIn = {Locale.ENGLISH, Locale.FRENCH};
        for (String code : Locale.getISOLanguages()) {
            Locale language = Locale.forLanguageTag(code);
            LOOKUP.put(code, code);
            try {
                LOOKUP.put(language.getISO3Language(), code);
            } catch (MissingResourceException ignored) {
                // no three-letter code known for this one
            }
            for (Locale in : displayIn) {
                String name = language.getDisplayLanguage(in);
                if (!name.isBlank() && !name.equalsIgnoreCase(code)) {
                    LOOKUP.putIfAbsent(key(name), code);
                }
            }
        }
        // names agencies use that the JDK does not know, or knows under another name
        alias("yue", "cantonese", "cantonais", "yue");
        alias("zh", "mandarin", "mandarin chinese", "chinese mandarin", "chinois mandarin");
        alias("fa", "farsi", "persian", "persan");
        alias("prs", "dari");
        alias("fil", "filipino");
        alias("tl", "tagalog");
        alias("pa", "punjabi", "panjabi", "pendjabi");
        alias("ur", "urdu", "ourdou");
        alias("ta", "tamil", "tamoul");
        alias("ti", "tigrinya", "tigrigna");
        alias("uk", "ukrainian", "ukrainien");
        alias("es", "spanish", "espagnol", "espanol");
        alias("ar", "arabic", "arabe");
    }

    private Languages() {
    }

    private static void alias(String code, String... names) {
        for (String name : names) {
            LOOKUP.put(key(name), code);
        }
    }

    public static Optional<String> code(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(LOOKUP.get(key(text)));
    }

    static String key(String text) {
        String folded = Normalizer.normalize(text.trim(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return folded.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", " ");
    }
}
