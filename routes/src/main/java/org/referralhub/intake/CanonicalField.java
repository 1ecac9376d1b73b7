package org.referralhub.intake;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every field of the canonical referral that an agency's data can fill, with the kind of value it holds.
 * Mappings name these paths; anything else is refused when the configuration is loaded.
 */
public enum CanonicalField {
    PROGRAM("program", Kind.TEXT),
    AGENCY_REFERENCE("source.agencyReference", Kind.TEXT),
    FIRST_NAME("client.firstName", Kind.NAME),
    LAST_NAME("client.lastName", Kind.NAME),
    BIRTH_DATE("client.birthDate", Kind.DATE),
    EMAIL("client.email", Kind.EMAIL),
    PHONE("client.phone", Kind.PHONE),
    PREFERRED_LANGUAGE("client.preferredLanguage", Kind.LANGUAGE),
    OTHER_LANGUAGES("client.otherLanguages", Kind.LANGUAGE_LIST),
    CITY("client.city", Kind.NAME),
    POSTAL_CODE("client.postalCode", Kind.POSTAL_CODE),
    COUNTRY_OF_ORIGIN("client.countryOfOrigin", Kind.COUNTRY),
    ARRIVAL_DATE("client.arrivalDate", Kind.DATE),
    PROFESSION("client.profession", Kind.TEXT),
    OCCUPATION_CODE("client.occupationCode", Kind.OCCUPATION_CODE),
    YEARS_OF_EXPERIENCE("client.yearsOfExperience", Kind.INTEGER),
    EDUCATION("client.education", Kind.TEXT),
    ENGLISH_LEVEL("client.englishLevel", Kind.CLB),
    CONSENT_GIVEN("consent.given", Kind.BOOLEAN),
    CONSENT_SCOPE("consent.scope", Kind.TEXT_LIST),
    CONSENT_CAPTURED_AT("consent.capturedAt", Kind.INSTANT),
    CONSENT_EXPIRES_AT("consent.expiresAt", Kind.INSTANT),
    SUITABLE("screening.suitable", Kind.BOOLEAN);

    private static final Map<String, CanonicalField> BY_PATH = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(CanonicalField::path, Function.identity()));

    private final String path;
    private final Kind kind;

    CanonicalField(String path, Kind kind) {
        this.path = path;
        this.kind = kind;
    }

    public String path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    public static Optional<CanonicalField> byPath(String path) {
        return Optional.ofNullable(BY_PATH.get(path));
    }

    /** How a field's raw value is read and normalized. */
    public enum Kind {
        TEXT, NAME, EMAIL, PHONE, DATE, INSTANT, LANGUAGE, LANGUAGE_LIST, COUNTRY, POSTAL_CODE, OCCUPATION_CODE,
        INTEGER, CLB, BOOLEAN, TEXT_LIST;

        public boolean isList() {
            return this == LANGUAGE_LIST || this == TEXT_LIST;
        }
    }
}
