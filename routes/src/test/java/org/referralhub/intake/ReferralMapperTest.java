package org.referralhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.config.FieldMapping;
import org.referralhub.config.FieldMappingSet;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Client;

class ReferralMapperTest {

    private final ReferralMapper demo = new ReferralMapper(Samples.demoConfiguration().mappings());

    @Test
    void theCanonicalFormatMapsOntoItself() {
        ReferralDraft draft = demo.map(FieldMappingSet.CANONICAL, Samples.payload("cics-canonical.json"));
        assertThat(draft.errors()).isEmpty();
        Client client = draft.client();
        assertThat(client.firstName()).isEqualTo("Amara");
        assertThat(client.email()).isEqualTo("amara.okafor@example.org");
        assertThat(client.phone()).isEqualTo("+14165550123");
        assertThat(client.postalCode()).isEqualTo("M2N 6K1");
        assertThat(client.otherLanguages()).containsExactly("ig", "fr");
        assertThat(draft.agencyReference()).isEqualTo("CICS-2026-0001");
        assertThat(draft.consent().given()).isTrue();
    }

    @Test
    void aFormToolsNestedAnswersMapBySelector() {
        ReferralDraft draft = demo.map("formtool-v1", Samples.payload("cet-formtool.json"));
        assertThat(draft.errors()).isEmpty();
        Client client = draft.client();
        assertThat(client.firstName()).isEqualTo("Rajesh");
        assertThat(client.email()).isEqualTo("rajesh.kumar@example.com");
        assertThat(client.preferredLanguage()).isEqualTo("pa");
        assertThat(client.otherLanguages()).containsExactly("en", "hi");
        assertThat(client.postalCode()).isEqualTo("M9W 5L7");
        assertThat(client.countryOfOrigin()).isEqualTo("IN");
        assertThat(client.yearsOfExperience()).isEqualTo(6);
        assertThat(client.englishLevel()).isEqualTo(9);
        assertThat(draft.agencyReference()).isEqualTo("cet-7f3a9c21");
        assertThat(draft.suitable()).isTrue();
    }

    @Test
    void aFrenchCrmMapsWithFrenchValuesAndDayFirstDates() {
        ReferralDraft draft = demo.map("crm-fr-v1", Samples.payload("college-boreal-crm.json"));
        assertThat(draft.errors()).isEmpty();
        Client client = draft.client();
        assertThat(client.lastName()).isEqualTo("Dubois Mbarga");
        assertThat(client.birthDate()).isEqualTo(LocalDate.of(1988, 5, 12));
        assertThat(client.arrivalDate()).isEqualTo(LocalDate.of(2023, 3, 15));
        assertThat(client.preferredLanguage()).isEqualTo("fr");
        assertThat(client.otherLanguages()).containsExactly("en", "ln");
        assertThat(client.countryOfOrigin()).isEqualTo("CM");
        assertThat(client.yearsOfExperience()).isEqualTo(8);
        assertThat(client.englishLevel()).isEqualTo(7);
        assertThat(draft.consent().given()).isTrue();
        assertThat(draft.consent().scope()).containsExactly("partage-partenaire", "contact-partenaire");
    }

    @Test
    void aFlatRecordMapsByLiteralKeysWithSpaces() {
        ReferralDraft draft = demo.map("crm-flat-v1", Samples.payload("polycultural-crm.json"));
        assertThat(draft.errors()).isEmpty();
        assertThat(draft.client().phone()).isEqualTo("+16475550142");
        assertThat(draft.client().otherLanguages()).containsExactly("en", "fr");
        assertThat(draft.client().arrivalDate()).isEqualTo(LocalDate.of(2022, 6, 30));
        assertThat(draft.suitable()).isTrue();
    }

    @Test
    void errorsNameTheCanonicalFieldAndTheAgencysOwnField() throws Exception {
        JsonNode payload = CanonicalJson.MAPPER.readTree("""
                {"dossier": "CB-1", "client": {"prenom": "A", "nom": "B", "courriel": "pas-un-courriel",
                 "date_arrivee": "2023-03-15"}, "consentement": {"donne": "Oui"}}""");
        ReferralDraft draft = demo.map("crm-fr-v1", payload);
        assertThat(draft.errors()).extracting(FieldError::field, FieldError::source, FieldError::code)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("client.email", "client.courriel", "invalid-email"),
                        Tuple.tuple("client.arrivalDate", "client.date_arrivee", "invalid-date"));
        assertThat(draft.errors()).allSatisfy(e -> assertThat(e.message()).doesNotContain("pas-un-courriel"));
    }

    @Test
    void alternativeSourcesAreTriedInOrderAndDefaultsFillGaps() throws Exception {
        ReferralMapper mapper = new ReferralMapper(Map.of("alt", new FieldMappingSet("alt", Map.of(
                "client.phone", new FieldMapping(List.of("mobile", "home"), null, null, null, null),
                "program", new FieldMapping(List.of("program"), null, null, null, "mentoring-partnership")))));
        ReferralDraft draft = mapper.map("alt", CanonicalJson.MAPPER.readTree("{\"mobile\": \"\", \"home\": \"4165550100\"}"));
        assertThat(draft.client().phone()).isEqualTo("+14165550100");
        assertThat(draft.source(CanonicalField.PHONE)).isEqualTo("home");
        assertThat(draft.program()).isEqualTo("mentoring-partnership");
    }

    @Test
    void aMappingToAnUnknownCanonicalFieldIsRefused() {
        assertThatThrownBy(() -> new ReferralMapper(Map.of("bad", new FieldMappingSet("bad",
                Map.of("client.shoeSize", FieldMapping.from("shoe"))))))
                .hasMessageContaining("client.shoeSize");
    }

    @Test
    void aNonObjectPayloadIsOneClearError() throws Exception {
        ReferralDraft draft = demo.map(FieldMappingSet.CANONICAL, CanonicalJson.MAPPER.readTree("[1,2]"));
        assertThat(draft.errors()).extracting(FieldError::code).containsExactly("not-an-object");
    }
}
