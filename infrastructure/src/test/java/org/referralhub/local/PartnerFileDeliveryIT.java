package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COSTI takes files: referrals routed to it go, one batch per window, in one CSV with its own columns, uploaded to
 * its SFTP server (the local hub's stand-in account) under a temporary name and renamed when complete.
 */
class PartnerFileDeliveryIT {

    private static final Map<String, String> KEYS = LocalHub.demoKeys();

    @TempDir
    Path data;

    private LocalHub start(String configText) throws Exception {
        Path config = data.resolve("hub-config-partner-files.yaml");
        Files.writeString(config, configText);
        return LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withConfigLocation(config.toString()).withSweepMillis(300));
    }

    private String fastBatches() throws Exception {
        String config = Files.readString(Path.of(HubClient.fastRetryConfiguration(data)));
        String fast = config.replace("batchEverySeconds: 60", "batchEverySeconds: 2");
        assertThat(fast).isNotEqualTo(config);
        return fast;
    }

    private static String referral(String ref, String profession) {
        return """
                {"source": {"agencyReference": "%s"},
                 "client": {"firstName": "Giulia", "lastName": "Rossi-%s", "email": "giulia.%s@example.it",
                            "postalCode": "L4B 3K9", "arrivalDate": "2024-05-01", "yearsOfExperience": 9,
                            "englishLevel": 8, "profession": "%s", "preferredLanguage": "Italian"},
                 "consent": {"given": true}}""".formatted(ref, ref, ref, profession);
    }

    @Test
    void referralsForAFilePartnerArriveTogetherInOneCsvUploadedAtomically() throws Exception {
        try (LocalHub hub = start(fastBatches())) {
            HubClient agency = new HubClient(hub.baseUrl());
            String run = UUID.randomUUID().toString().substring(0, 6);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String profession = i == 0 ? "=HYPERLINK(\\\"http://evil.example\\\")" : "Architect";
                HubClient.Reply reply = agency.postJson(KEYS.get("cics"), referral("C-" + run + "-" + i, profession));
                assertThat(reply.status()).isEqualTo(202);
                assertThat(reply.body().get("partnerId").asText()).isEqualTo("costi");
                ids.add(reply.body().get("referralId").asText());
            }
            List<JsonNode> delivered = new ArrayList<>();
            for (String id : ids) {
                delivered.add(agency.awaitReferral(id, KEYS.get("cics"),
                        r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(30)));
            }
            assertThat(delivered).allSatisfy(r -> {
                assertThat(r.at("/delivery/attempts/0/channel").asText()).isEqualTo("sftp");
                assertThat(r.at("/delivery/attempts/0/detail").asText()).startsWith("file referrals-costi-");
            });

            Path incoming = hub.sftpHome("costi-intake").resolve("incoming");
            List<Path> files;
            try (var listing = Files.list(incoming)) {
                files = listing.toList();
            }
            assertThat(files).allSatisfy(f -> assertThat(f.getFileName().toString()).startsWith("referrals-costi-").endsWith(".csv"));
            List<CSVRecord> rows = new ArrayList<>();
            for (Path file : files) {
                try (CSVParser parser = CSVParser.parse(Files.readString(file, StandardCharsets.UTF_8),
                        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                    assertThat(parser.getHeaderNames()).startsWith("Referral ID", "Delivery ID", "Referring Agency");
                    rows.addAll(parser.getRecords());
                }
            }
            assertThat(rows).extracting(r -> r.get("Referral ID")).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(rows).extracting(r -> r.get("Profession")).contains("'=HYPERLINK(\"http://evil.example\")");
            assertThat(rows).extracting(r -> r.get("Language")).containsOnly("it");
            assertThat(hub.sftpRenames()).filteredOn(r -> r.startsWith("costi-intake:.uploading-referrals-costi-"))
                    .hasSize(files.size());
        }
    }

    @Test
    void aServerShowingAnotherHostKeyIsRefusedAndTheAttemptRecorded() throws Exception {
        String wrong = fastBatches().replace("knownHosts: \"{{sandboxSftpKnownHosts:-",
                "knownHosts: \"{{notTheSandboxKnownHosts:-");
        String mismatch = wrong.replaceFirst("sftp\\.costi\\.example ssh-ed25519", "[127.0.0.1]:{{sandboxSftpPort}} ssh-ed25519");
        assertThat(mismatch).isNotEqualTo(fastBatches());
        try (LocalHub hub = start(mismatch)) {
            HubClient agency = new HubClient(hub.baseUrl());
            String id = agency.postJson(KEYS.get("cics"), referral("K-" + UUID.randomUUID(), "Architect"))
                    .body().get("referralId").asText();
            JsonNode referral = agency.awaitReferral(id, KEYS.get("cics"),
                    r -> r.at("/delivery/attempts").size() >= 1, Duration.ofSeconds(30));
            assertThat(referral.at("/delivery/attempts/0/outcome").asText()).isEqualTo("failed");
            assertThat(referral.at("/delivery/attempts/0/detail").asText()).contains("host key");
            try (var listing = Files.list(hub.sftpHome("costi-intake").resolve("incoming"))) {
                assertThat(listing.toList()).isEmpty();
            }
        }
    }

    @Test
    void aServerDroppingTheConnectionMidUploadGetsTheWholeFileOnceOnTheRetryUnderTheSameName() throws Exception {
        try (LocalHub hub = start(fastBatches())) {
            hub.dropNextSftpUploads("costi-intake", 2);
            HubClient agency = new HubClient(hub.baseUrl());
            String run = UUID.randomUUID().toString().substring(0, 6);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(agency.postJson(KEYS.get("cics"), referral("D-" + run + "-" + i, "Architect"))
                        .body().get("referralId").asText());
            }
            List<JsonNode> delivered = new ArrayList<>();
            for (String id : ids) {
                delivered.add(agency.awaitReferral(id, KEYS.get("cics"),
                        r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(60)));
            }
            assertThat(hub.droppedSftpUploads()).isEqualTo(2);
            assertThat(delivered).allSatisfy(r -> assertThat(r.at("/delivery/attempts").size()).isGreaterThan(1));

            Path incoming = hub.sftpHome("costi-intake").resolve("incoming");
            List<Path> files;
            try (var listing = Files.list(incoming)) {
                files = listing.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
            }
            List<String> rows = new ArrayList<>();
            for (Path file : files) {
                try (CSVParser parser = CSVParser.parse(Files.readString(file, StandardCharsets.UTF_8),
                        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                    parser.getRecords().forEach(r -> rows.add(r.get("Referral ID")));
                }
            }
            // the half-written upload never became a visible file; the referrals arrived whole, each once
            assertThat(rows).containsExactlyInAnyOrderElementsOf(ids);
        }
    }
}
