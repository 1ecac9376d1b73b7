package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
}
