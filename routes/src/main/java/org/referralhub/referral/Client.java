package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * The person referred. Every value is normalized: trimmed names, lower-case e-mail, E.164 phone,
 * ISO 639 languages, ISO 3166-1 alpha-2 country, Canadian postal code as {@code A1A 1A1},
 * English level as a Canadian Language Benchmark (CLB 1-12).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Client(
        String firstName,
        String lastName,
        LocalDate birthDate,
        String email,
        String phone,
        String preferredLanguage,
        List<String> otherLanguages,
        String city,
        String postalCode,
        String countryOfOrigin,
        LocalDate arrivalDate,
        String profession,
        String occupationCode,
        Integer yearsOfExperience,
        String education,
        Integer englishLevel) {

    public Client {
        otherLanguages = otherLanguages == null ? List.of() : List.copyOf(otherLanguages);
    }
}
