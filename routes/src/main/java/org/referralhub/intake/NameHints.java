package org.referralhub.intake;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.referralhub.config.FieldMapping;
import org.referralhub.config.FieldMappingSet;

/**
 * Which canonical field an unknown column or label probably is: its words (case, accents and spacing folded; a few
 * French words read as their English ones) against the words of every name the configuration's mappings know for
 * each field, and of the field's own name. A guess is only ever said, never used.
 */
final class NameHints {

    /** Words that say nothing of the field. */
    private static final Set<String> NOISE = Set.of("de", "du", "des", "la", "le", "les", "l", "d", "of", "the", "a",
            "en", "in", "client", "cliente", "s", "y", "n");
    /** French words of the pilot's forms, as the English word the mappings use. */
    private static final Map<String, String> FRENCH = Map.ofEntries(Map.entry("prenom", "first"),
            Map.entry("nom", "last"), Map.entry("courriel", "email"), Map.entry("telephone", "phone"),
            Map.entry("cellulaire", "mobile"), Map.entry("niveau", "level"), Map.entry("anglais", "english"),
            Map.entry("langue", "language"), Map.entry("naissance", "birth"), Map.entry("arrivee", "arrival"),
            Map.entry("annees", "years"), Map.entry("consentement", "consent"), Map.entry("metier", "profession"),
            Map.entry("postal", "postal"), Map.entry("pays", "country"), Map.entry("ville", "city"));

    private final Map<String, Set<String>> wordsByField = new LinkedHashMap<>();

    NameHints(Map<String, FieldMappingSet> mappings) {
        Map<String, Set<String>> words = new HashMap<>();
        for (CanonicalField field : CanonicalField.values()) {
            words.computeIfAbsent(field.path(), k -> new LinkedHashSet<>()).addAll(words(lastSegment(field.path())));
        }
        for (FieldMappingSet set : mappings.values()) {
            for (Map.Entry<String, FieldMapping> e : set.fields().entrySet()) {
                for (String from : e.getValue().from()) {
                    words.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).addAll(words(lastSegment(from)));
                }
            }
        }
        for (CanonicalField field : CanonicalField.values()) {
            wordsByField.put(field.path(), words.getOrDefault(field.path(), Set.of()));
        }
    }

    /** The canonical field most of whose words the name shares, or null when none shares half of them. */
    String probably(String name) {
        Set<String> mine = words(name);
        if (mine.isEmpty()) {
            return null;
        }
        String best = null;
        double bestScore = 0;
        for (Map.Entry<String, Set<String>> e : wordsByField.entrySet()) {
            double score = (double) mine.stream().filter(e.getValue()::contains).count() / mine.size();
            if (score >= 0.5 && score > bestScore) {
                best = e.getKey();
                bestScore = score;
            }
        }
        return best;
    }

    /** The words of a name: accents and case folded, camelCase and separators split, noise dropped, French read. */
    static Set<String> words(String name) {
        String spaced = name.replaceAll("([a-z])([A-Z])", "$1 $2");
        String folded = Normalizer.normalize(spaced, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        return Arrays.stream(folded.split("[^a-z0-9]+")).filter(w -> !w.isEmpty() && !NOISE.contains(w))
                .map(w -> FRENCH.getOrDefault(w, w)).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String lastSegment(String path) {
        String plain = path.replaceAll("\\[[^]]*]", "");
        int dot = plain.lastIndexOf('.');
        return dot < 0 ? plain : plain.substring(dot + 1);
    }

}
