package org.referralhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.HubConfiguration;

class SandboxTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T15:00:00Z"), ZoneOffset.UTC);

    /** The demo, with CICS's CSV exports in French while its other files keep English columns. */
    private static HubConfiguration frenchCsvForCics() {
        ObjectNode raw = ConfigurationLoader.read("classpath:hub-config.yaml");
        raw.withArray("agencies").forEach(a -> {
            if (a.path("id").asText().equals("cics")) {
                ((ObjectNode) a).putObject("fileMappings").put("csv", "csv-fr-v1");
            }
        });
        return ConfigurationLoader.resolve(raw, Map.of("hubBaseUrl", "http://localhost:8080"), Samples.DEMO_SECRETS);
    }

    @Test
    void eachFileFormatIsReadWithTheAgencysMappingForIt() {
        Sandbox sandbox = new Sandbox(frenchCsvForCics(), CLOCK);
        Sandbox.Result csv = sandbox.run(new Sandbox.Request("cics", "file", "export.csv",
                "Prénom;Nom;Courriel;Consentement\nMarie;Dubois;marie@exemple.ca;Oui\n", null, null, null));
        assertThat(csv.accepted()).isEqualTo(1);
        assertThat(csv.referrals().get(0).referral().client().lastName()).isEqualTo("Dubois");

        Sandbox.Result json = sandbox.run(new Sandbox.Request("cics", "file", "export.json",
                "[{\"First Name\":\"Ana\",\"Last Name\":\"Lima\",\"Email\":\"ana@example.br\",\"Consent\":\"Signed\"}]",
                null, null, null));
        assertThat(json.accepted()).isEqualTo(1);
        assertThat(json.referrals().get(0).referral().client().firstName()).isEqualTo("Ana");
    }

    @Test
    void aFormatWithoutAMappingOrAnUnknownFormatIsRefused() {
        ObjectNode raw = ConfigurationLoader.read("classpath:hub-config.yaml");
        ((ObjectNode) raw.withArray("agencies").get(0)).putObject("fileMappings").put("pdf", "nope");
        Assertions.assertThatThrownBy(() -> ConfigurationLoader.resolve(raw, Map.of("hubBaseUrl", "x"), Samples.DEMO_SECRETS))
                .hasMessageContaining("agency 'cics' maps file format 'pdf'; the formats are csv, xlsx, json and jsonl")
                .hasMessageContaining("agency 'cics' uses mapping 'nope', which does not exist");
    }

    @Test
    void anAgencysOwnFhirMappingIsTriedOnABundle() {
        // CICS's system keeps the CLB level in an extension of the Patient, not in an Observation
        ObjectNode raw = ConfigurationLoader.read("classpath:hub-config.yaml");
        ObjectNode fields = raw.with("mappings").putObject("cics-fhir").putObject("fields");
        fields.putObject("client.firstName").put("from", "Patient.name[0].given[0]");
        fields.putObject("client.lastName").put("from", "Patient.name[0].family");
        fields.putObject("client.email").put("from", "Patient.telecom[system=email].value");
        ObjectNode consent = fields.putObject("consent.given").put("from", "Consent.status");
        consent.putObject("values").put("active", true);
        fields.putObject("client.englishLevel").put("from", "Patient.extension[url=https://cics.example/clb].valueInteger");
        HubConfiguration config = ConfigurationLoader.resolve(raw, Map.of("hubBaseUrl", "http://localhost:8080"),
                Samples.DEMO_SECRETS);
        String bundle = Samples.payload("cics-fhir-bundle.json").toString().replace("\"extension\":[",
                "\"extension\":[{\"url\":\"https://cics.example/clb\",\"valueInteger\":6},");

        Sandbox.Result result = new Sandbox(config, CLOCK).run(new Sandbox.Request("cics", "fhir", null, bundle, null,
                null, "cics-fhir"));
        assertThat(result.referrals()).singleElement().satisfies(item -> {
            assertThat(item.referral().client().englishLevel()).isEqualTo(6);
            assertThat(item.where()).isEqualTo("the Bundle");
        });
        // what this narrower mapping leaves unread is said: the Observations, the birth date, the consent's date
        assertThat(result.notRead()).extracting(n -> n.name()).contains("Observation", "Patient.birthDate",
                "Consent.dateTime");
    }
}
