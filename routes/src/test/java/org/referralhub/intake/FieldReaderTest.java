package org.referralhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FieldReaderTest {

    private static Object read(CanonicalField field, JsonNode raw) throws FieldReader.Unreadable {
        return FieldReader.read(field, raw, null, null, Map.of());
    }

    private static Object read(CanonicalField field, String raw) throws FieldReader.Unreadable {
        return read(field, TextNode.valueOf(raw));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "(416) 555-0123|+14165550123",
            "416.555.0123|+14165550123",
            "1-647-555-0187|+16475550187",
            "+44 20 7946 0958|+442079460958"})
    void phonesBecomeE164WithCanadaAsDefaultRegion(String raw, String expected) throws Exception {
        assertThat(read(CanonicalField.PHONE, raw)).isEqualTo(expected);
    }

    @Test
    void anImpossiblePhoneIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> read(CanonicalField.PHONE, "555-01"))
                .isInstanceOf(FieldReader.Unreadable.class)
                .hasMessageNotContaining("555");
    }

    @Test
    void emailsAreTrimmedAndLowerCased() throws Exception {
        assertThat(read(CanonicalField.EMAIL, "  Amara.Okafor@Example.ORG ")).isEqualTo("amara.okafor@example.org");
        assertThatThrownBy(() -> read(CanonicalField.EMAIL, "amara@")).isInstanceOf(FieldReader.Unreadable.class);
        assertThatThrownBy(() -> read(CanonicalField.EMAIL, "no at sign.org")).isInstanceOf(FieldReader.Unreadable.class);
    }

    @ParameterizedTest
    @CsvSource({"m2n6k1,M2N 6K1", "M2N 6K1,M2N 6K1", "m2n-6k1,M2N 6K1", "  k1a 0b1 ,K1A 0B1"})
    void canadianPostalCodesAreUpperCaseWithOneSpace(String raw, String expected) throws Exception {
        assertThat(read(CanonicalField.POSTAL_CODE, raw)).isEqualTo(expected);
    }

    @Test
    void postalCodesWithLettersCanadaDoesNotUseAreRefused() {
        assertThatThrownBy(() -> read(CanonicalField.POSTAL_CODE, "D1A 1A1")).isInstanceOf(FieldReader.Unreadable.class);
        assertThatThrownBy(() -> read(CanonicalField.POSTAL_CODE, "90210")).isInstanceOf(FieldReader.Unreadable.class);
    }

    @ParameterizedTest
    @CsvSource({"English,en", "anglais,en", "Français,fr", "francais,fr", "FR,fr", "fra,fr", "Punjabi,pa",
            "Cantonese,yue", "Mandarin,zh", "Tagalog,tl", "Farsi,fa", "Arabic,ar", "Lingala,ln", "Igbo,ig"})
    void languagesBecomeIso639Codes(String raw, String expected) throws Exception {
        assertThat(read(CanonicalField.PREFERRED_LANGUAGE, raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"India,IN", "Inde,IN", "IND,IN", "in,IN", "Cameroun,CM", "Viet Nam,VN", "Syria,SY",
            "South Korea,KR", "Türkiye,TR", "Côte d'Ivoire,CI", "Égypte,EG"})
    void countriesBecomeIso3166Alpha2(String raw, String expected) throws Exception {
        assertThat(read(CanonicalField.COUNTRY_OF_ORIGIN, raw)).isEqualTo(expected);
    }

    @Test
    void unknownLanguagesAndCountriesAreRefused() {
        assertThatThrownBy(() -> read(CanonicalField.PREFERRED_LANGUAGE, "Klingon")).isInstanceOf(FieldReader.Unreadable.class);
        assertThatThrownBy(() -> read(CanonicalField.COUNTRY_OF_ORIGIN, "Atlantis")).isInstanceOf(FieldReader.Unreadable.class);
    }

    @Test
    void languageListsSplitDeduplicateAndNormalize() throws Exception {
        assertThat(read(CanonicalField.OTHER_LANGUAGES, "English; French, english")).isEqualTo(List.of("en", "fr"));
        assertThat(FieldReader.read(CanonicalField.OTHER_LANGUAGES, TextNode.valueOf("Anglais|Lingala"), null, "|", Map.of()))
                .isEqualTo(List.of("en", "ln"));
    }

    @Test
    void datesAreIsoOrTheConfiguredFormat() throws Exception {
        assertThat(read(CanonicalField.ARRIVAL_DATE, "2024-03-15")).isEqualTo(LocalDate.of(2024, 3, 15));
        assertThat(read(CanonicalField.ARRIVAL_DATE, "2024-03-15T10:00:00Z")).isEqualTo(LocalDate.of(2024, 3, 15));
        assertThat(FieldReader.read(CanonicalField.ARRIVAL_DATE, TextNode.valueOf("15/03/2024"), "dd/MM/yyyy", null, Map.of()))
                .isEqualTo(LocalDate.of(2024, 3, 15));
        assertThatThrownBy(() -> read(CanonicalField.ARRIVAL_DATE, "15/03/2024"))
                .isInstanceOf(FieldReader.Unreadable.class).hasMessageContaining("yyyy-MM-dd");
        assertThatThrownBy(() -> FieldReader.read(CanonicalField.ARRIVAL_DATE, TextNode.valueOf("2024-03-15"), "dd/MM/yyyy", null, Map.of()))
                .isInstanceOf(FieldReader.Unreadable.class).hasMessageContaining("dd/MM/yyyy");
    }

    /** Every day a month lacks, in every format an agency may declare: refused, never moved to the month's end. */
    @ParameterizedTest
    @CsvSource({"dd/MM/yyyy", "MM/dd/yyyy", "yyyy/MM/dd", "dd.MM.yyyy", "d/M/yyyy", "dd-MM-yy", "yyyyMMdd"})
    void aDayTheMonthDoesNotHaveIsRefusedInEveryFormat(String format) throws Exception {
        DateTimeFormatter writer = DateTimeFormatter.ofPattern(format);
        int refused = 0;
        for (int year : new int[] {2023, 2024}) {
            for (int month = 1; month <= 12; month++) {
                int days = YearMonth.of(year, month).lengthOfMonth();
                for (int day = days + 1; day <= 31; day++) {
                    // written as the agency would write it: the impossible date in the declared format
                    String text = format.replace("yyyy", String.valueOf(year)).replace("yy", String.valueOf(year % 100))
                            .replace("dd", String.format("%02d", day)).replace("MM", String.format("%02d", month))
                            .replace("d", String.valueOf(day)).replace("M", String.valueOf(month));
                    assertThatThrownBy(() -> FieldReader.read(CanonicalField.ARRIVAL_DATE, TextNode.valueOf(text), format,
                            null, Map.of())).as(text + " in " + format).isInstanceOf(FieldReader.Unreadable.class)
                            .hasMessageContaining(format);
                    refused++;
                }
                // the month's last day itself is read as written
                LocalDate last = LocalDate.of(year, month, days);
                assertThat(FieldReader.read(CanonicalField.ARRIVAL_DATE, TextNode.valueOf(writer.format(last)), format,
                        null, Map.of())).isEqualTo(last);
            }
        }
        assertThat(refused).as("impossible days tried: four 31sts, and the 29th to 31st of February").isEqualTo(13);
        for (String text : new String[] {"00", "13"}) {
            String month = format.replace("yyyy", "2024").replace("yy", "24").replace("dd", "10").replace("d", "10")
                    .replace("MM", text).replace("M", text);
            assertThatThrownBy(() -> FieldReader.read(CanonicalField.ARRIVAL_DATE, TextNode.valueOf(month), format, null,
                    Map.of())).as(month).isInstanceOf(FieldReader.Unreadable.class);
        }
    }

    /** Without a declared format, the agency's locale says which comes first; without either, nothing is guessed. */
    @ParameterizedTest
    @CsvSource({"03/04/2024,DAY_FIRST,2024-04-03", "03/04/2024,MONTH_FIRST,2024-03-04", "3.4.2024,DAY_FIRST,2024-04-03",
            "15-03-2024,DAY_FIRST,2024-03-15", "03/15/2024,MONTH_FIRST,2024-03-15", "03/04/2024,NONE,",
            "15/03/2024,NONE,", "31/04/2024,DAY_FIRST,", "29/02/2023,DAY_FIRST,", "04/31/2024,MONTH_FIRST,",
            "15/03/2024,MONTH_FIRST,"})
    void aNumericDateIsReadInTheAgencysOrderOrRefused(String text, org.referralhub.config.DateOrder order,
                                                      String expected) throws Exception {
        if (expected == null) {
            assertThatThrownBy(() -> FieldReader.read(CanonicalField.ARRIVAL_DATE, TextNode.valueOf(text), null, null,
                    Map.of(), order)).as(text + " " + order).isInstanceOf(FieldReader.Unreadable.class)
                    .hasMessageContaining(order == org.referralhub.config.DateOrder.NONE ? "order not said" : "not a date");
        } else {
            assertThat(FieldReader.read(CanonicalField.ARRIVAL_DATE, TextNode.valueOf(text), null, null, Map.of(), order))
                    .isEqualTo(LocalDate.parse(expected));
        }
    }

    @Test
    void instantsAcceptOffsetsAndPlainDates() throws Exception {
        assertThat(read(CanonicalField.CONSENT_CAPTURED_AT, "2026-11-20T09:00:00-05:00")).isEqualTo(Instant.parse("2026-11-20T14:00:00Z"));
        assertThat(read(CanonicalField.CONSENT_CAPTURED_AT, "2026-11-20")).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({"CLB 7,7", "clb7,7", "NCLC 8,8", "9,9", "CLB 10+,10"})
    void englishLevelsAreClb(String raw, int expected) throws Exception {
        assertThat(read(CanonicalField.ENGLISH_LEVEL, raw)).isEqualTo(expected);
    }

    @Test
    void englishLevelsOutsideTheBenchmarkAreRefused() {
        assertThatThrownBy(() -> read(CanonicalField.ENGLISH_LEVEL, "CLB 13")).isInstanceOf(FieldReader.Unreadable.class);
        assertThatThrownBy(() -> read(CanonicalField.ENGLISH_LEVEL, "advanced")).isInstanceOf(FieldReader.Unreadable.class);
    }

    @Test
    void yearsOfExperienceReadNumbersAndWords() throws Exception {
        assertThat(read(CanonicalField.YEARS_OF_EXPERIENCE, IntNode.valueOf(6))).isEqualTo(6);
        assertThat(read(CanonicalField.YEARS_OF_EXPERIENCE, "8 ans")).isEqualTo(8);
        assertThat(read(CanonicalField.YEARS_OF_EXPERIENCE, "10 years")).isEqualTo(10);
        assertThatThrownBy(() -> read(CanonicalField.YEARS_OF_EXPERIENCE, "many")).isInstanceOf(FieldReader.Unreadable.class);
    }

    @Test
    void booleansReadEnglishAndFrenchAndTheValueMap() throws Exception {
        assertThat(read(CanonicalField.SUITABLE, "oui")).isEqualTo(true);
        assertThat(read(CanonicalField.SUITABLE, "Non")).isEqualTo(false);
        assertThatThrownBy(() -> read(CanonicalField.SUITABLE, "maybe")).isInstanceOf(FieldReader.Unreadable.class);
    }

    @Test
    void consentIsOnlyWhatTheAgencySaysItIs() throws Exception {
        assertThat(read(CanonicalField.CONSENT_GIVEN, BooleanNode.TRUE)).isEqualTo(true);
        assertThat(read(CanonicalField.CONSENT_GIVEN, "true")).isEqualTo(true);
        assertThat(read(CanonicalField.CONSENT_GIVEN, "False")).isEqualTo(false);
        Map<String, Object> declared = Map.of("signed", true, "not signed", false);
        assertThat(FieldReader.read(CanonicalField.CONSENT_GIVEN, TextNode.valueOf("Signed"), null, null, declared))
                .isEqualTo(true);
        assertThat(FieldReader.read(CanonicalField.CONSENT_GIVEN, TextNode.valueOf("NOT SIGNED"), null, null, declared))
                .isEqualTo(false);
        // what a form may use for something else is never read as consent
        for (String mark : new String[] {"x", "1", "o", "y", "✓", "oui", "yes"}) {
            assertThatThrownBy(() -> read(CanonicalField.CONSENT_GIVEN, mark)).as(mark)
                    .isInstanceOf(FieldReader.Unreadable.class);
        }
        // and where the mapping declares its answers, nothing but them: the answers are named
        assertThatThrownBy(() -> FieldReader.read(CanonicalField.CONSENT_GIVEN, TextNode.valueOf("yes"), null, null,
                declared)).isInstanceOf(FieldReader.Unreadable.class).hasMessageContaining("signed");
    }

    @Test
    void namesAreTrimmedWithInnerSpacesCollapsedAndCaseKept() throws Exception {
        assertThat(read(CanonicalField.LAST_NAME, "  de la  Cruz ")).isEqualTo("de la Cruz");
    }
}
