package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An administrator's replay of a file whose rows were rejected, after fixing the agency's mapping: the rejected rows
 * are read again from the archived file and stored; the rows accepted the first time keep their referral — nothing
 * is stored twice, even when the file's rows carry no agency reference, and a second replay does nothing.
 */
class RejectedRowsReplayIT {

    @TempDir
    Path data;

    @Test
    void rowsRejectedForAnUnmappedColumnAreStoredByAReplayAfterTheMappingIsFixedAndNothingTwice() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            AdminClient admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
            String run = UUID.randomUUID().toString().substring(0, 8);
            // no Reference column; the second row's family name is in a column the mapping does not know yet
            String csv = "First Name,Last Name,Apellido,Email,Postal Code,Consent\n"
                    + "Amara,Okafor,,amara." + run + "@example.org,M9W 1A1,Signed\n"
                    + "Lucia,,Garcia,lucia." + run + "@example.org,M9W 1A1,Signed\n";
            try (SftpAgency agency = SftpAgency.withPassword(hub, "cics", LocalHub.demoSftpPasswords().get("cics"))) {
                agency.upload("inbound/intake-" + run + ".csv", csv.getBytes(StandardCharsets.UTF_8));
            }
            Path results = SftpAgency.home(hub, "cics").resolve("results").resolve("intake-" + run + ".csv.results.csv");
            String first = await(results);
            assertThat(first).contains("2,accepted,").contains("3,rejected,");

            // quarantined with why: the file, its rejected rows, field names but no values
            JsonNode quarantined = admin.get("/quarantine").body().get("quarantined");
            JsonNode entry = null;
            for (JsonNode q : quarantined) {
                if (("intake-" + run + ".csv").equals(q.path("fileName").asText())) {
                    entry = q;
                }
            }
            assertThat(entry).isNotNull();
            assertThat(entry.get("reason").asText()).isEqualTo("rejected-rows");
            assertThat(entry.get("detail").asText()).contains("1 of 2 rows rejected").contains("client.lastName")
                    .doesNotContain("Garcia").doesNotContain("lucia.");
            String receipt = entry.get("receiptId").asText();

            // the administrator teaches the mapping the agency's column, then replays the file
            assertThat(admin.send("PATCH", "/mappings/csv-en-v1", """
                    {"fields": {"client.lastName": {"from": ["Last Name", "Family Name", "Surname", "Last", "Apellido"]}}}
                    """).status()).isEqualTo(200);
            AdminClient.Reply replayed = admin.send("POST", "/quarantine/" + receipt + "/replay", null);
            assertThat(replayed.status()).isEqualTo(200);
            assertThat(replayed.body().get("accepted").asInt()).isEqualTo(2);
            assertThat(replayed.body().get("rejected").asInt()).isZero();

            List<String> emails = new ArrayList<>();
            hub.hub().services().store().forEachOfAgency("cics", Instant.now().minusSeconds(600),
                    Instant.now().plusSeconds(60), r -> {
                        if (r.client().email().contains(run)) {
                            emails.add(r.client().email() + " " + r.client().lastName());
                        }
                    });
            assertThat(emails).containsExactlyInAnyOrder("amara." + run + "@example.org Okafor",
                    "lucia." + run + "@example.org Garcia");

            // once: the input left the quarantine list, a second replay is refused
            assertThat(admin.send("POST", "/quarantine/" + receipt + "/replay", null).status()).isEqualTo(409);
            assertThat(admin.get("/quarantine").text()).doesNotContain(receipt);
        }
    }

    private static String await(Path file) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!Files.exists(file)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no results file");
            }
            Thread.sleep(100);
        }
        return Files.readString(file);
    }
}
