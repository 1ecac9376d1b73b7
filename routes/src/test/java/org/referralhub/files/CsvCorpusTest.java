package org.referralhub.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.referral.CanonicalJson;

/**
 * CSV edge cases no one here wrote (csv-spectrum, {@code corpus/csv/spectrum/}): each file read by the hub's reader
 * gives the rows its JSON says, cell for cell (an empty cell is no value, as the reader leaves it out). The count is
 * README's.
 */
class CsvCorpusTest {

    private static final List<String> FILES = List.of("comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json",
            "newlines", "newlines_crlf", "quotes_and_newlines", "simple", "simple_crlf", "utf8");

    @Test
    void everyEdgeCaseReadsAsItsJsonSays() throws IOException {
        List<String> mismatches = new ArrayList<>();
        for (String name : FILES) {
            List<Map<String, String>> expected = new ArrayList<>();
            for (JsonNode row : CanonicalJson.MAPPER.readTree(resource(name + ".json"))) {
                Map<String, String> values = new LinkedHashMap<>();
                row.fields().forEachRemaining(f -> {
                    if (!f.getValue().asText().isEmpty()) {
                        values.put(f.getKey(), f.getValue().asText());
                    }
                });
                expected.add(values);
            }
            List<Map<String, String>> actual = new ArrayList<>();
            try (ReferralFileReader reader = ReferralFileReader.open(name + ".csv",
                    new ByteArrayInputStream(resource(name + ".csv")), null, FileLimits.DEFAULT)) {
                reader.forEachRemaining(row -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    row.fields().fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asText()));
                    actual.add(values);
                });
            }
            if (!expected.equals(actual)) {
                mismatches.add(name + ": expected " + expected + " / read " + actual);
            }
        }
        System.out.println("corpus/csv/spectrum: " + (FILES.size() - mismatches.size()) + " of " + FILES.size()
                + " read as their JSON says; mismatches: " + mismatches);
        assertThat(mismatches).isEmpty();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = CsvCorpusTest.class.getClassLoader().getResourceAsStream("corpus/csv/spectrum/" + name)) {
            return in.readAllBytes();
        }
    }
}
