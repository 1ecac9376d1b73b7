package org.referralhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.config.ConfigurationView;
import org.referralhub.referral.CanonicalJson;

class AdministrationTest {

    @Test
    void aMergePatchMergesObjectsRemovesNullsAndReplacesTheRest() throws Exception {
        ObjectNode partner = (ObjectNode) CanonicalJson.MAPPER.readTree(
                "{\"id\":\"p\",\"capacity\":{\"status\":\"accepting\",\"monthlyQuota\":10},\"languages\":[\"en\"],\"name\":\"P\"}");
        Administration.mergePatch(partner, (ObjectNode) CanonicalJson.MAPPER.readTree(
                "{\"capacity\":{\"status\":\"full\"},\"languages\":[\"fr\"],\"name\":null}"));
        assertThat(partner.toString())
                .isEqualTo("{\"id\":\"p\",\"capacity\":{\"status\":\"full\",\"monthlyQuota\":10},\"languages\":[\"fr\"]}");
    }

    @Test
    void theAuditKeepsEveryChangeUnlessAnImportChangedTooMuchToList() {
        List<Map<String, Object>> few = List.of(Map.of("op", "replace", "path", "/partners/humber/name"));
        assertThat(Administration.recorded(few)).isEqualTo(few);
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(Map.of("op", "add", "path", "/agencies/agency-" + i, "to", Map.of("name", "Agency number " + i)));
        }
        List<Map<String, Object>> kept = Administration.recorded(many);
        assertThat(CanonicalJson.write(kept).length()).isLessThan(40_000);
        assertThat(kept.get(kept.size() - 1)).containsEntry("op", "more").containsEntry("count", 3000 - (kept.size() - 1));
    }

    @Test
    void aDiffNamesListEntriesByIdAndSeesAReorder() throws Exception {
        var before = CanonicalJson.MAPPER.readTree("{\"routing\":{\"rules\":[{\"id\":\"a\",\"partner\":\"x\"},{\"id\":\"b\",\"partner\":\"y\"}]}}");
        var after = CanonicalJson.MAPPER.readTree("{\"routing\":{\"rules\":[{\"id\":\"b\",\"partner\":\"z\"},{\"id\":\"a\",\"partner\":\"x\"}]}}");
        assertThat(CanonicalJson.write(ConfigurationView.diff(before, after))).isEqualTo(
                "[{\"op\":\"replace\",\"path\":\"/routing/rules/b/partner\",\"from\":\"y\",\"to\":\"z\"},"
                        + "{\"op\":\"reorder\",\"path\":\"/routing/rules\",\"from\":[\"a\",\"b\"],\"to\":[\"b\",\"a\"]}]");
    }
}
