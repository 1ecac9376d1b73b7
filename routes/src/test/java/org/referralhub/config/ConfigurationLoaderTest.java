package org.referralhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;

class ConfigurationLoaderTest {

    @Test
    void theDemoHasTheSevenAgenciesAndFivePartnersOfThePilot() {
        HubConfiguration config = Samples.demoConfiguration();
        assertThat(config.agencies()).extracting(Agency::id).containsExactly(
                "cics", "cet", "college-boreal", "nych", "polycultural", "times-change", "tropicana");
        assertThat(config.partners()).extracting(Partner::id).containsExactly(
                "acces-employment", "costi", "humber", "jobstart", "jvs-toronto");
        assertThat(config.partner("jobstart").orElseThrow().intake().url())
                .isEqualTo("http://localhost:8080/sandbox/partners/jobstart/webhook");
        assertThat(ConfigurationLoader.check(config)).isEmpty();
    }

    private static final String MINIMAL = """
            programs: [{ id: p }]
            agencies: [{ id: a, program: p, webhookMapping: %s, apiKeyHashes: [%s] }]
            partners: [{ id: x, intake: { channel: webhook, url: "{{base}}/in", signingSecret: whsec_c2VjcmV0 } }]
            routing: { rules: [{ id: r, partner: %s }], fallbackPartner: %s }
            """;

    @Test
    void aSoundConfigurationLoadsWithPlaceholdersFilled() {
        HubConfiguration config = ConfigurationLoader.parse(MINIMAL.formatted("canonical", "a".repeat(64), "x", "x"),
                Map.of("base", "https://hub.example"));
        assertThat(config.partner("x").orElseThrow().intake().url()).isEqualTo("https://hub.example/in");
    }

    @Test
    void aConfigurationThatWouldBreakRoutingIsRefusedWithEveryReason() {
        assertThatThrownBy(() -> ConfigurationLoader.parse(MINIMAL.formatted("nope", "not-a-hash", "ghost", "phantom"),
                Map.of("base", "https://hub.example")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "agency 'a' uses mapping 'nope', which does not exist",
                        "agency 'a' has an API key hash that is not a SHA-256 hex digest",
                        "routing rule 'r' names partner 'ghost', which does not exist",
                        "the fallback partner 'phantom' does not exist"));
    }

    @Test
    void aMissingPlaceholderOrAnUnknownSettingIsRefused() {
        assertThatThrownBy(() -> ConfigurationLoader.parse(MINIMAL.formatted("canonical", "a".repeat(64), "x", "x"), Map.of()))
                .hasMessageContaining("base");
        assertThatThrownBy(() -> ConfigurationLoader.parse("agencies: [{ id: a, colour: blue }]", Map.of()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("colour");
    }

    @Test
    void apiKeysArePrefixedWithTheirAgencyAndStoredAsDigests() {
        String key = ApiKeys.generate("cics");
        assertThat(key).startsWith("rhk_cics_").hasSize("rhk_cics_".length() + 32);
        assertThat(ApiKeys.hash(key)).matches("[0-9a-f]{64}").isNotEqualTo(ApiKeys.hash(ApiKeys.generate("cics")));
    }
}
