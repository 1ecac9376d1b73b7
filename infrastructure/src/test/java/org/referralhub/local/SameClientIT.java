package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.referral.CanonicalJson;

/**
 * The same client twice without an agency reference — twice in one file, and again over another channel — is caught:
 * the repeat answers the open referral's id, and nothing is stored or delivered twice. Another person with the same
 * name and e-mail but another birth date is not caught.
 */
class SameClientIT {

    @TempDir
    Path data;

    @Test
    void aRepeatOfTheSameClientIsAnsweredWithTheOpenReferralOnEveryChannel() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            HubClient http = new HubClient(hub.baseUrl());
            String key = LocalHub.demoKeys().get("cics");
            String run = UUID.randomUUID().toString().substring(0, 8);
            String email = "amara." + run + "@example.org";

            // by webhook, without a reference: stored
            ObjectNode body = (ObjectNode) CanonicalJson.MAPPER.readTree(HubClient.sample("cics-canonical.json"));
            ((ObjectNode) body.get("source")).remove("agencyReference");
            ((ObjectNode) body.get("client")).put("email", email).put("birthDate", "1988-04-02");
            HubClient.Reply first = http.postJson(key, body.toString());
            assertThat(first.status()).isEqualTo(202);
            assertThat(first.body().get("duplicate").asBoolean()).isFalse();
            String id = first.body().get("referralId").asText();

            // the same client again, another request (no Idempotency-Key): the open referral
            HubClient.Reply again = http.postJson(key, body.toString());
            assertThat(again.body().get("duplicate").asBoolean()).isTrue();
            assertThat(again.body().get("referralId").asText()).isEqualTo(id);

            // another person: same name and e-mail, another birth date — a referral of her own
            ((ObjectNode) body.get("client")).put("birthDate", "1961-10-30");
            HubClient.Reply other = http.postJson(key, body.toString());
            assertThat(other.body().get("duplicate").asBoolean()).isFalse();
            assertThat(other.body().get("referralId").asText()).isNotEqualTo(id);

            // by file: the same client twice in one file, without a reference — both rows answer the open referral
            String csv = "First Name,Last Name,Email,Phone,Postal Code,Consent\n"
                    + "Amara,Okafor," + email.toUpperCase() + ",416-555-0123,M2N 6K1,Signed\n"
                    + "Amara,Okafor," + email + ",416-555-0123,M2N 6K1,Signed\n";
            try (SftpAgency agency = SftpAgency.withPassword(hub, "cics", LocalHub.demoSftpPasswords().get("cics"))) {
                agency.upload("inbound/twice-" + run + ".csv", csv.getBytes(StandardCharsets.UTF_8));
            }
            String results = SftpAgency.awaitResults(hub, "cics", "twice-" + run + ".csv");
            assertThat(results).contains("2,duplicate," + id).contains("3,duplicate," + id);

            List<String> stored = new ArrayList<>();
            hub.hub().services().store().forEachOfAgency("cics", Instant.now().minusSeconds(600),
                    Instant.now().plusSeconds(60), r -> {
                        if (email.equals(r.client().email())) {
                            stored.add(r.referralId());
                        }
                    });
            assertThat(stored).as("the first client once, the other person once").hasSize(2).contains(id);
        }
    }
}
