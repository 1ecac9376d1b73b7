package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's data erased on request through the admin API: the referral, its claim and its archived payload are gone,
 * an erasure record without the erased data stays, and the agency may refer the client again.
 */
class ErasureIT {

    @TempDir
    Path data;

    @Test
    void anErasedReferralLeavesOnlyARecordWithoutItsDataAndTheClientCanBeReferredAgain() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            HubClient http = new HubClient(hub.baseUrl());
            AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
            String key = LocalHub.demoKeys().get("cics");
            String reference = "ERASE-" + UUID.randomUUID();
            String body = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                    .replace("CICS-2026-0001", reference);
            String id = http.postJson(key, body).body().get("referralId").asText();
            Path raw = Path.of(URI.create(admin.get("/referrals/" + id).body().at("/source/rawPayloadRef").asText()));
            assertThat(raw).exists();

            assertThat(admin.send("POST", "/referrals/" + id + "/erase", "{}").status()).as("a reason is required")
                    .isEqualTo(400);
            AdminClient.Reply erased = admin.send("POST", "/referrals/" + id + "/erase",
                    "{\"reason\":\"the client asked, ticket 4471\"}");
            assertThat(erased.status()).isEqualTo(200);
            assertThat(erased.text()).contains("agency-reference claim").contains("archived raw payload")
                    .contains("program-admin").doesNotContain("Okafor").doesNotContain("Amara")
                    .doesNotContain("@Example.org").doesNotContain(reference);

            assertThat(raw).doesNotExist();
            assertThat(http.get("/v1/referrals/" + id, key).status()).isEqualTo(404);
            AdminClient.Reply gone = admin.get("/referrals/" + id);
            assertThat(gone.status()).isEqualTo(410);
            assertThat(gone.body().get("reason").asText()).isEqualTo("the client asked, ticket 4471");
            assertThat(admin.send("POST", "/referrals/" + id + "/erase", "{\"reason\":\"again\"}").body()
                    .get("reason").asText()).as("erasing twice answers the first record").isEqualTo("the client asked, ticket 4471");

            // the same client referred again is a new referral, not a duplicate of the erased one
            HubClient.Reply again = http.postJson(key, body);
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.body().get("duplicate").asBoolean()).isFalse();
            assertThat(again.body().get("referralId").asText()).isNotEqualTo(id);
        }
    }

    @Test
    void aDroppedFilesCopiesGoAndThePartnerItReachedIsAskedToEraseItsOwn() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            HubClient http = new HubClient(hub.baseUrl());
            AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
            String ref = UUID.randomUUID().toString().substring(0, 8);
            String csv = """
                    Case ID,First Name,Last Name,Email,Mobile,Preferred Language,Postal Code,Country of Origin,Landing Date,Years of Experience,CLB,Consent to Refer
                    E-%1$s,Lina,Haddad,lina.%1$s@example.net,647-555-0142,Arabic,L5B 3C2,Syria,06/30/2022,10,CLB 8,Y
                    """.formatted(ref);
            String id;
            try (SftpAgency agency = SftpAgency.withPassword(hub, "polycultural", LocalHub.demoSftpPasswords().get("polycultural"))) {
                agency.upload("inbound/erase-" + ref + ".csv", csv.getBytes(StandardCharsets.UTF_8));
                Instant deadline = Instant.now().plusSeconds(30);
                while (agency.list("archive").stream().noneMatch(n -> n.endsWith("_erase-" + ref + ".csv"))) {
                    assertThat(Instant.now()).as("the file is processed").isBefore(deadline);
                    Thread.sleep(100);
                }
                String results = new String(agency.download("results/erase-" + ref + ".csv.results.csv"), StandardCharsets.UTF_8);
                id = results.lines().skip(1).findFirst().orElseThrow().split(",")[2];
            }
            JsonNode referral = http.awaitReferral(id, LocalHub.demoKeys().get("polycultural"),
                    r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));
            String partner = referral.at("/routing/partnerId").asText();

            AdminClient.Reply erased = admin.send("POST", "/referrals/" + id + "/erase", "{\"reason\":\"client request 88\"}");

            assertThat(erased.status()).isEqualTo(200);
            assertThat(erased.body().get("removed").toString()).contains("SFTP archive/ folder");
            assertThat(erased.body().get("partners").toString()).contains("partner " + partner + " asked to erase it (webhook)");
            try (var archived = Files.list(SftpAgency.home(hub, "polycultural").resolve("archive"))) {
                assertThat(archived.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith("_erase-" + ref + ".csv"));
            }
            JsonNode calls = http.get("/sandbox/partners/" + partner + "/deliveries", null).body().get("deliveries");
            JsonNode notice = null;
            for (JsonNode call : calls) {
                if ("referral.erased".equals(call.at("/referral/type").asText()) && id.equals(call.at("/referral/referralId").asText())) {
                    notice = call;
                }
            }
            assertThat(notice).as("the partner got a signed referral.erased call").isNotNull();
            assertThat(notice.get("signatureVerified").asBoolean()).isTrue();
            assertThat(notice.toString()).doesNotContain("Haddad").doesNotContain("lina.");
        }
    }
}
