package org.referralhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.config.PartnerChannel;

class ConfigurationLoaderTest {

    @Test
    void theDemoHasTheSevenAgenciesAndFivePartnersOfThePilot() {
        HubConfiguration config = Samples.demoConfiguration();
        assertThat(config.agencies()).extracting(Agency::id).containsExactly(
                "cics", "cet", "college-boreal", "nych", "polycultural", "times-change", "tropicana");
        assertThat(config.partners()).extracting(Partner::id).containsExactly(
                "acces-employment", "costi", "humber", "jobstart", "jvs-toronto");
        assertThat(((PartnerChannel.Webhook) config.partner("jobstart").orElseThrow().intake()).url())
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
    void aPartnersFhirServerIsReadAsDataAndAnAgencysFhirMappingMustExist() {
        String fhir = MINIMAL.replace("intake: { channel: webhook, url: \"{{base}}/in\", signingSecret: whsec_c2VjcmV0 }",
                "intake: { channel: fhir, baseUrl: \"{{base}}\", tokenRef: %s }");
        HubConfiguration config = ConfigurationLoader.parse(fhir.formatted("canonical", "a".repeat(64), "x-token", "x", "x"),
                Map.of("base", "https://fhir.partner.example/r4/"));
        PartnerChannel.Fhir intake = (PartnerChannel.Fhir) config.partner("x").orElseThrow().intake();
        assertThat(intake.taskUrl()).isEqualTo("https://fhir.partner.example/r4/Task");
        assertThat(config.agency("a").orElseThrow().fhirMapping()).isEqualTo(FieldMappingSet.FHIR_R4);
        assertThatThrownBy(() -> ConfigurationLoader.parse(fhir.formatted("canonical", "a".repeat(64), "\"a b\"", "x", "x"),
                Map.of("base", "http://fhir.partner.example/r4?_format=json")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "partner 'x' has a FHIR intake with a plain http URL to another machine (use https; http only "
                                + "reaches this machine, as the local demo's stand-in partners do)",
                        "partner 'x' has a FHIR base URL with a query or fragment: give the base alone",
                        "partner 'x' names its FHIR token with other characters than a secret's name has"));
        String unknownMapping = MINIMAL.replace("webhookMapping: %s,", "webhookMapping: %s, fhirMapping: cics-fhir,");
        assertThatThrownBy(() -> ConfigurationLoader.parse(unknownMapping.formatted("canonical", "a".repeat(64), "x", "x"),
                Map.of("base", "https://hub.example")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("agency 'a' uses mapping 'cics-fhir', which does not exist"));
    }

    @Test
    void aSoundConfigurationLoadsWithPlaceholdersFilled() {
        HubConfiguration config = ConfigurationLoader.parse(MINIMAL.formatted("canonical", "a".repeat(64), "x", "x"),
                Map.of("base", "https://hub.example"));
        assertThat(((PartnerChannel.Webhook) config.partner("x").orElseThrow().intake()).url()).isEqualTo("https://hub.example/in");
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
    void aWebhookAddressIsReadAsAnAddressWhenSaved() {
        Map<String, String> refused = Map.of(
                "https://hub:secret@hub.example", "a URL with credentials in it (the signing secret is the credential)",
                "https://hub.example/x#", "a URL with a fragment (#…), which is never sent",
                "ftp://hub.example", "a URL that is not http(s)",
                "https:///nohost", "a URL without a host",
                "https://hub example", "a URL that does not parse (Illegal character in authority)",
                "http://partner.example", "a plain http URL to another machine (use https; http only reaches this "
                        + "machine, as the local demo's stand-in partners do)");
        refused.forEach((base, problem) -> assertThatThrownBy(() -> ConfigurationLoader.parse(
                MINIMAL.formatted("canonical", "a".repeat(64), "x", "x"), Map.of("base", base)))
                .as(base).isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("partner 'x' has a webhook intake with " + problem)));
        for (String local : new String[] {"http://localhost:8080", "http://127.0.0.1:9", "http://[::1]:9"}) {
            assertThat(ConfigurationLoader.parse(MINIMAL.formatted("canonical", "a".repeat(64), "x", "x"),
                    Map.of("base", local)).partner("x")).as(local).isPresent();
        }
        // a query is the partner's own: kept, and sent as it is
        HubConfiguration config = ConfigurationLoader.parse(MINIMAL.formatted("canonical", "a".repeat(64), "x", "x"),
                Map.of("base", "https://hub.example/hook?throwExceptionOnFailure=false&x="));
        assertThat(((PartnerChannel.Webhook) config.partner("x").orElseThrow().intake()).url())
                .isEqualTo("https://hub.example/hook?throwExceptionOnFailure=false&x=/in");
    }

    @Test
    void anSftpPartnersServerUserAndFolderArePlainNamesNeverEndpointOptions() {
        String yaml = """
                programs: [{ id: p }]
                agencies: [{ id: a, program: p, webhookMapping: canonical, apiKeyHashes: [%s] }]
                partners: [{ id: x, intake: { channel: sftp, host: "%s", username: "%s", directory: "%s",
                             privateKeyRef: k, knownHosts: "h ssh-ed25519 AAAA" } }]
                routing: { rules: [{ id: r, partner: x }], fallbackPartner: x }
                """;
        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml.formatted("a".repeat(64), "sftp.example?knownHosts=#mine",
                "hub&privateKey=#other", "../../etc"), Map.of()))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "partner 'x' has an SFTP host that is not a host name or IP address",
                        "partner 'x' has an SFTP username with other characters than letters, digits and . _ @ + -",
                        "partner 'x' has an SFTP directory that is not a plain folder path (letters, digits, . _ ~ - and"
                                + " /, no ..)"));
        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml.formatted("a".repeat(64), "sftp.example", "hub",
                "in/${exchangeProperty.x}"), Map.of())).isInstanceOfSatisfying(InvalidConfigurationException.class,
                e -> assertThat(e.problems()).singleElement().asString().contains("SFTP directory"));
        HubConfiguration sound = ConfigurationLoader.parse(yaml.formatted("a".repeat(64), "sftp.partner-1.example",
                "hub.intake@partner", "/incoming/referrals.v2/"), Map.of());
        assertThat(ConfigurationLoader.check(sound)).isEmpty();
    }

    @Test
    void aProgramHoldsNearMatchesOnlyWhenItSaysSoAndAnUnknownChoiceIsNamed() {
        String yaml = MINIMAL.replace("programs: [{ id: p }]", "programs: [{ id: p, nearMatch: %s }]");
        Map<String, String> base = Map.of("base", "https://hub.example");
        assertThat(ConfigurationLoader.parse(MINIMAL.formatted("canonical", "a".repeat(64), "x", "x"), base)
                .program("p").orElseThrow().nearMatch()).isEqualTo(Program.NearMatch.ACCEPT);
        assertThat(ConfigurationLoader.parse(yaml.formatted("hold", "canonical", "a".repeat(64), "x", "x"), base)
                .program("p").orElseThrow().nearMatch()).isEqualTo(Program.NearMatch.HOLD);
        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml.formatted("ask", "canonical", "a".repeat(64), "x", "x"),
                base)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("programs[0].nearMatch").hasMessageContaining("accept or hold");
    }

    @Test
    void administratorsAreToldAtTheAddressesTheyGaveAndANonAddressIsNamed() {
        String admins = """
                admins:
                  - { name: ana, email: ana@program.example, tokenHashes: [] }
                  - { name: ben, tokenHashes: [] }
                  - { name: cy, email: %s, tokenHashes: [] }
                """;
        assertThat(ConfigurationLoader.parse(admins.formatted("cy@program.example"), Map.of()).adminAddresses())
                .containsExactly("ana@program.example", "cy@program.example");
        assertThatThrownBy(() -> ConfigurationLoader.parse(admins.formatted("not-an-address"), Map.of()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("admin 'cy' has an e-mail that is not an address");
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

    private static final String ROUTING = """
            programs: [{ id: p }]
            agencies: [{ id: a, program: p }, { id: b, program: p }]
            mappings:
              m: { fields: { client.firstName: { from: first }, client.shoeSize: { from: shoes } } }
            partners:
              - { id: x, intake: { channel: webhook, url: "https://x.example/in", signingSecret: whsec_c2VjcmV0 } }
              - { id: y, intake: { channel: webhook, url: "https://y.example/in", signingSecret: whsec_c2VjcmV0 }, capacity: { status: closed } }
            routing:
              rules:
                - { id: toronto, postalPrefixes: [M], partners: [x, y], strategy: round-robin }
                - { id: north-york, postalPrefixes: [M2, M3], partner: x }
                - { id: agency-b, agencies: [b], sectors: [plumbing], partner: y, strategy: fastest }
                - { id: everyone, partners: [x] }
                - { id: after-everyone, languages: [fr], partner: y }
            """;

    @Test
    void aRuleAnEarlierOneAlwaysCatchesAMappingToAnUnknownFieldAndUnknownNamesAreRefused() {
        assertThatThrownBy(() -> ConfigurationLoader.parse(ROUTING, Map.of()))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "mapping 'm' maps to 'client.shoeSize', which is not a canonical field",
                        "partner 'y' has capacity 'closed'; it must be accepting, waitlist or full",
                        "routing rule 'north-york' can never be reached: rule 'toronto' comes first and takes every "
                                + "referral it would (to send overflow elsewhere, list more partners in 'toronto')",
                        "routing rule 'agency-b' names sector 'plumbing', which is not one of " + Sectors.names(),
                        "routing rule 'agency-b' uses strategy 'fastest'; it must be one of [fixed, round-robin, least-loaded]",
                        "routing rule 'after-everyone' can never be reached: rule 'everyone' comes first and takes every "
                                + "referral it would (to send overflow elsewhere, list more partners in 'everyone')"));
    }

    @Test
    void aNarrowerRuleBeforeABroaderOneIsReachable() {
        RoutingTable.RoutingRule narrow = new RoutingTable.RoutingRule("n", null, List.of("M2"), null, null, "x");
        RoutingTable.RoutingRule broad = new RoutingTable.RoutingRule("b", null, List.of("M"), null, null, "x");
        assertThat(ConfigurationLoader.catchesAll(narrow, broad)).isFalse();
        assertThat(ConfigurationLoader.catchesAll(broad, narrow)).isTrue();
    }
}
