package org.referralhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.referralhub.referral.CanonicalJson;

class FieldPathTest {

    private final JsonNode doc = read("""
            {"a": {"b": [ {"id": "x", "v": 1}, {"id": "y", "v": 2, "deep": {"k": "z"}} ]},
             "No. of years": 5, "list": ["p", "q"]}""");

    @Test
    void resolvesNamesIndexesAndSelectors() {
        assertThat(FieldPath.parse("a.b[1].v").resolve(doc).asInt()).isEqualTo(2);
        assertThat(FieldPath.parse("a.b[id=y].deep.k").resolve(doc).asText()).isEqualTo("z");
        assertThat(FieldPath.parse("a.b[deep.k='z'].v").resolve(doc).asInt()).isEqualTo(2);
        assertThat(FieldPath.parse("list[0]").resolve(doc).asText()).isEqualTo("p");
    }

    @Test
    void aSelectorsPathMayIndex() {
        JsonNode bundle = read("{\"Observation\":[{\"code\":{\"coding\":[{\"code\":\"arrival-date\"}]},\"valueDateTime\":\"2024-03-15\"},"
                + "{\"code\":{\"coding\":[{\"code\":\"english-level\"}]},\"valueInteger\":7}]}");
        assertThat(FieldPath.parse("Observation[code.coding[0].code=english-level].valueInteger").resolve(bundle).asInt())
                .isEqualTo(7);
        assertThat(FieldPath.parse("Observation[code.coding[0].code=arrival-date].valueDateTime").resolve(bundle).asText())
                .isEqualTo("2024-03-15");
        assertThatThrownBy(() -> FieldPath.parse("Observation[code.coding[0].code=x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLiteralKeyWinsOverThePathReading() {
        assertThat(FieldPath.parse("No. of years").resolve(doc).asInt()).isEqualTo(5);
    }

    @Test
    void missingPartsResolveToMissing() {
        assertThat(FieldPath.parse("a.b[id=none].v").resolve(doc).isMissingNode()).isTrue();
        assertThat(FieldPath.parse("a.c.d").resolve(doc).isMissingNode()).isTrue();
        assertThat(FieldPath.parse("list[9]").resolve(doc).isMissingNode()).isTrue();
    }

    @Test
    void malformedPathsAreRefused() {
        assertThatThrownBy(() -> FieldPath.parse("a[0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldPath.parse("a[x]")).isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonNode read(String json) {
        try {
            return CanonicalJson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
