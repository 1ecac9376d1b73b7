package org.referralhub.camel.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.camel.WingParts;
import org.referralhub.fhir.BundleReader;
import org.referralhub.fhir.FhirResources;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;

/** The FHIR door for agencies on its own: a transaction Bundle in, archived as sent, a transaction-response out. */
class FhirIntakeRoutesTest extends CamelTestSupport {

    @TempDir
    Path folder;
    private WingParts parts;

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        parts = new WingParts(folder);
        AgencyDoor door = new AgencyDoor(parts.configs, parts.signIns(), parts.archive, parts.clock, 256 * 1024);
        ReferralIntake intake = new ReferralIntake(parts.config);
        return new RoutesBuilder[] {new ApiErrorHandling(), new FhirIntakeRoutes(door, new BundleReader(intake), intake,
                parts.clock), new StoreReferralRoutes(parts.store, parts.clock)};
    }

    @AfterEach
    void closeParts() {
        parts.close();
    }

    @Test
    void aBundleWithTheKeyAsBearerTokenIsArchivedAsSentStoredAndAnsweredEntryByEntry() throws IOException {
        byte[] body = sample();
        ApiReply reply = post(Map.of("Authorization", "Bearer " + WingParts.CICS_KEY, "Content-Type", FhirResources.FHIR_JSON), body);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.headers()).containsEntry("Content-Type", FhirResources.FHIR_JSON);
        JsonNode answer = CanonicalJson.MAPPER.readTree(reply.body());
        assertThat(answer.path("type").asText()).isEqualTo("transaction-response");
        assertThat(answer.path("entry")).hasSize(8);
        String location = answer.at("/entry/3/response/location").asText();
        assertThat(location).startsWith("Task/");
        String referralId = location.substring("Task/".length());
        assertThat(answer.at("/entry/3/response/status").asText()).isEqualTo("201 Created");
        assertThat(answer.at("/entry/2/response/location").asText()).isEqualTo("ServiceRequest/" + referralId);
        assertThat(answer.at("/entry/0/response/outcome/issue/0/diagnostics").asText()).contains("Read into referral " + referralId);
        assertThat(answer.at("/entry/3/response/outcome/issue/0/diagnostics").asText())
                .contains("is referral " + referralId, "requested", "routed to partner jvs-toronto");
        assertThat(answer.at("/entry/3/response/outcome/issue/1/diagnostics").asText()).startsWith("Consent.policyRule was not read");

        Referral stored = parts.store.find(referralId).orElseThrow();
        assertThat(stored.source().channel()).isEqualTo(Channel.FHIR);
        assertThat(stored.source().agencyReference()).isEqualTo("CICS-2026-0042");
        assertThat(parts.archive.read(stored.source().rawPayloadRef())).isEqualTo(body);

        // the same Bundle again is the same referral: 200 OK, the first Task
        JsonNode again = CanonicalJson.MAPPER.readTree(post(Map.of("X-Api-Key", WingParts.CICS_KEY,
                "Content-Type", FhirResources.FHIR_JSON), body).body());
        assertThat(again.at("/entry/3/response/status").asText()).isEqualTo("200 OK");
        assertThat(again.at("/entry/3/response/location").asText()).isEqualTo(location);
    }

    @Test
    void aBundleThatIsNotOneReferralIsAnOperationOutcomeNamingEachProblemAndIsKept() throws IOException {
        String body = new String(sample(), StandardCharsets.UTF_8)
                .replace("\"focus\": { \"reference\": \"urn:uuid:5f0c8a8e-2f43-4a8e-9d1c-0b6f1e7a9c03\" }",
                        "\"focus\": { \"reference\": \"ServiceRequest/elsewhere\" }")
                .replace("\"method\": \"POST\", \"url\": \"Consent\"", "\"method\": \"PUT\", \"url\": \"Consent/1\"");
        ApiReply reply = post(Map.of("X-Api-Key", WingParts.CICS_KEY, "Content-Type", FhirResources.FHIR_JSON),
                body.getBytes(StandardCharsets.UTF_8));

        assertThat(reply.status()).as(reply.body()).isEqualTo(422);
        assertThat(reply.headers()).containsEntry("Content-Type", FhirResources.FHIR_JSON);
        JsonNode outcome = CanonicalJson.MAPPER.readTree(reply.body());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        List<String> said = outcome.path("issue").findValuesAsText("diagnostics");
        assertThat(said).anySatisfy(d -> assertThat(d).startsWith("Task.focus does not name"))
                .anySatisfy(d -> assertThat(d).startsWith("entry[1] (Consent) asks for 'PUT'"))
                .anySatisfy(d -> assertThat(d).contains("receipt "));
        assertThat(Files.walk(folder.resolve("archive")).filter(Files::isRegularFile).count()).isEqualTo(1);
    }

    @Test
    void aFieldThatCannotBeReadIsNamedWithWhereInTheBundleItWas() throws IOException {
        String body = new String(sample(), StandardCharsets.UTF_8).replace("\"birthDate\": \"1990-06-02\"",
                "\"birthDate\": \"02/06/1990\"");
        ApiReply reply = post(Map.of("X-Api-Key", WingParts.CICS_KEY, "Content-Type", FhirResources.FHIR_JSON),
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(CanonicalJson.MAPPER.readTree(reply.body()).path("issue").findValuesAsText("diagnostics"))
                .anySatisfy(d -> assertThat(d).startsWith("client.birthDate (read from Patient.birthDate)"));
    }

    @Test
    void anotherMediaTypeOrNoKeyIsRefusedInFhir() throws IOException {
        ApiReply text = post(Map.of("X-Api-Key", WingParts.CICS_KEY, "Content-Type", "text/plain"), sample());
        assertThat(text.status()).isEqualTo(415);
        assertThat(CanonicalJson.MAPPER.readTree(text.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");
        ApiReply anonymous = post(Map.of("Content-Type", FhirResources.FHIR_JSON), sample());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(CanonicalJson.MAPPER.readTree(anonymous.body()).at("/issue/0/code").asText()).isEqualTo("login");
    }

    private ApiReply post(Map<String, String> headers, byte[] body) {
        return template.requestBody(Endpoints.FHIR_REFERRAL_INTAKE, new ApiRequest("POST", "/fhir/r4", Map.of(), headers,
                body, "r1", "127.0.0.1"), ApiReply.class);
    }

    private static byte[] sample() throws IOException {
        try (InputStream in = FhirIntakeRoutesTest.class.getClassLoader().getResourceAsStream("samples/cics-fhir-bundle.json")) {
            return in.readAllBytes();
        }
    }
}
