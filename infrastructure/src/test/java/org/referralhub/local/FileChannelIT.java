package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agencies drop files on the local hub's real SFTP server; the hub answers with a results file per upload. */
class FileChannelIT {

    private static final Map<String, String> PASSWORDS = LocalHub.demoSftpPasswords();
    private static final Map<String, String> KEYS = LocalHub.demoKeys();

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static HubClient http;
    private static KeyPair nychKey;

    @BeforeAll
    static void start() throws Exception {
        nychKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        String config = Files.readString(Path.of(HubClient.fastRetryConfiguration(data)));
        String withKey = config.replaceFirst("(username: nych\\n\\s+passwordHash: \"[^\"]+\"\\n\\s+)authorizedKeys: \\[]",
                "$1authorizedKeys: [\"" + SftpAgency.openSshPublicKey(nychKey) + "\"]");
        assertThat(withKey).isNotEqualTo(config);
        Path file = data.resolve("hub-config-sftp.yaml");
        Files.writeString(file, withKey);
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withConfigLocation(file.toString()).withSweepMillis(300));
        http = new HubClient(hub.baseUrl());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** Waits for the results file of an upload and parses it. */
    private static List<CSVRecord> results(SftpAgency agency, String name) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (agency.list("results").contains(name + ".results.csv")) {
                byte[] csv = agency.download("results/" + name + ".results.csv");
                try (CSVParser parser = CSVParser.parse(new String(csv, StandardCharsets.UTF_8),
                        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                    return parser.getRecords();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no results file for " + name);
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anUploadedCsvIsStoredRowByRowAnsweredAndDelivered() throws Exception {
        String ref = unique();
        String csv = """
                Case ID,First Name,Last Name,Email,Mobile,Preferred Language,Postal Code,Country of Origin,Landing Date,Years of Experience,CLB,Consent to Refer,Profession
                P-%1$s-1,Lina,Haddad,lina.%1$s@example.net,647-555-0142,Arabic,L5B 3C2,Syria,06/30/2022,10,CLB 8,Y,"Pharmacist, hospital
                and community"
                P-%1$s-2,Omar,,omar@example,647-555-0143,Arabic,L5B 3C2,Syria,06/30/2022,10,CLB 8,Y
                P-%1$s-3,Sara,Nasser,sara.%1$s@example.net,647-555-0144,Arabic,L5B 3C2,Syria,07/01/2023,4,CLB 9,Y
                """.formatted(ref);
        try (SftpAgency agency = SftpAgency.withPassword(hub, "polycultural", PASSWORDS.get("polycultural"))) {
            agency.upload("inbound/weekly-" + ref + ".csv", csv.getBytes(StandardCharsets.UTF_8));
            List<CSVRecord> rows = results(agency, "weekly-" + ref + ".csv");
            assertThat(rows).extracting(r -> r.get("row")).containsExactly("2", "3", "4");
            assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("accepted", "rejected", "accepted");
            assertThat(rows.get(1).get("reasons")).contains("client.lastName (Last Name): is required")
                    .contains("client.email (Email): is not a valid e-mail address").doesNotContain("omar@example");
            assertThat(agency.list("inbound")).doesNotContain("weekly-" + ref + ".csv");
            assertThat(agency.list("archive")).anyMatch(n -> n.endsWith("_weekly-" + ref + ".csv"));

            String id = rows.get(0).get("referralId");
            JsonNode referral = http.awaitReferral(id, KEYS.get("polycultural"),
                    r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(20));
            assertThat(referral.at("/source/channel").asText()).isEqualTo("sftp");
            assertThat(referral.at("/source/rawPayloadRef").asText()).endsWith(".csv#row=2");
            assertThat(referral.at("/client/arrivalDate").asText()).isEqualTo("2022-06-30");
            assertThat(referral.at("/routing/partnerId").asText()).isEqualTo("jobstart");
            assertThat(referral.at("/client/profession").asText()).isEqualTo("Pharmacist, hospital and community");
        }
    }

    /**
     * A French file whose English-level column the mapping does not know ("Niveau CLB"): the results file names the
     * column and the field it probably is, and the eligible clients are held for the mapping, not rejected.
     */
    @Test
    void aColumnTheMappingDoesNotKnowIsNamedAndItsRowsHeldNotRejected() throws Exception {
        String ref = unique();
        String csv = "Dossier;Prénom;Nom;Courriel;Téléphone;Langue;Code postal;Date d'arrivée;Années d'expérience;"
                + "Niveau CLB;Consentement\r\n"
                + "NC-" + ref + "-1;Aimée;Diallo;aimee." + ref + "@exemple.ca;416 555 0101;Français;m5v3l9;15/03/2024;9;8;Oui\r\n"
                + "NC-" + ref + "-2;Karim;Haddad;karim." + ref + "@exemple.ca;416 555 0102;Français;m5v3l9;01/02/2023;12;9;Oui\r\n";
        try (SftpAgency agency = SftpAgency.withPassword(hub, "college-boreal", PASSWORDS.get("college-boreal"))) {
            agency.upload("inbound/niveau-" + ref + ".csv", csv.getBytes(StandardCharsets.UTF_8));
            List<CSVRecord> rows = results(agency, "niveau-" + ref + ".csv");
            assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("held", "held", "not-read");
            assertThat(rows.get(0).get("status")).isEqualTo("on-hold");
            assertThat(rows.get(0).get("reasons")).contains("not understood: Niveau CLB (probably client.englishLevel)");
            assertThat(rows.get(2).get("reasons"))
                    .isEqualTo("columns the mapping does not read: Niveau CLB (probably client.englishLevel)");
            JsonNode referral = http.get("/v1/referrals/" + rows.get(0).get("referralId"), KEYS.get("college-boreal")).body();
            assertThat(referral.at("/status").asText()).isEqualTo("on-hold");
            assertThat(referral.at("/statusReason").asText()).isEqualTo("not-understood");
            assertThat(referral.at("/delivery/state").asText()).isEqualTo("withheld");
        }
    }

    /** A cell too long, or a date the month does not have: the row is refused naming the column, never read changed. */
    @Test
    void aCellTooLongOrAnImpossibleDateRefusesItsRowWithTheColumnNamed() throws Exception {
        String ref = unique();
        String csv = "Case ID,First Name,Last Name,Email,Landing Date,Consent to Refer,Notes\n"
                + "P-" + ref + "-1,Lina,Haddad,lina." + ref + "@example.net,06/30/2022,Y," + "x".repeat(10_001) + "\n"
                + "P-" + ref + "-2,Sara,Nasser,sara." + ref + "@example.net,02/31/2023,Y,ok\n";
        try (SftpAgency agency = SftpAgency.withPassword(hub, "polycultural", PASSWORDS.get("polycultural"))) {
            agency.upload("inbound/long-" + ref + ".csv", csv.getBytes(StandardCharsets.UTF_8));
            List<CSVRecord> rows = results(agency, "long-" + ref + ".csv");
            assertThat(rows.get(0).get("outcome")).isEqualTo("rejected");
            assertThat(rows.get(0).get("reasons")).contains("Notes").contains("longer than 10000 characters");
            assertThat(rows.get(1).get("outcome")).isEqualTo("rejected");
            assertThat(rows.get(1).get("reasons")).contains("client.arrivalDate (Landing Date)").contains("not a date");
        }
    }

    @Test
    void aSemicolonWindows1252FileWithFrenchColumnsAndAccents() throws Exception {
        String ref = unique();
        String csv = "Dossier;Prénom;Nom;Courriel;Téléphone;Langue;Code postal;Pays d'origine;Date d'arrivée;"
                + "Années d'expérience;Niveau d'anglais;Consentement\r\n"
                + "CB-" + ref + ";Hélène;Bérubé-Nguyễn;helene." + ref + "@exemple.ca;416 555 0199;Français;m5v3l9;Viêt Nam;"
                + "15/03/2023;8 ans;NCLC 7;Oui\r\n";
        byte[] cp1252 = csv.replace("ễ", "e").getBytes(Charset.forName("windows-1252"));
        try (SftpAgency agency = SftpAgency.withPassword(hub, "college-boreal", PASSWORDS.get("college-boreal"))) {
            agency.upload("inbound/export-" + ref + ".csv", cp1252);
            List<CSVRecord> rows = results(agency, "export-" + ref + ".csv");
            assertThat(rows).singleElement().satisfies(r -> assertThat(r.get("outcome")).isEqualTo("accepted"));
            JsonNode referral = http.get("/v1/referrals/" + rows.get(0).get("referralId"), KEYS.get("college-boreal")).body();
            assertThat(referral.at("/client/firstName").asText()).isEqualTo("Hélène");
            assertThat(referral.at("/client/lastName").asText()).isEqualTo("Bérubé-Nguyen");
            assertThat(referral.at("/client/countryOfOrigin").asText()).isEqualTo("VN");
            assertThat(referral.at("/client/arrivalDate").asText()).isEqualTo("2023-03-15");
        }
    }

    @Test
    void anXlsxWithABomCsvBesideItAndJsonLinesAllWork() throws Exception {
        String ref = unique();
        byte[] xlsx;
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("Referrals");
            Object[][] cells = {{"Reference", "First Name", "Last Name", "Email", "Arrival Date", "Years of Experience",
                    "English Level", "Consent", "Postal Code"},
                    {"X-" + ref, "Wei", "Zhang", "wei." + ref + "@example.cn", LocalDate.of(2024, 1, 20), 7, "CLB 7", "Yes", "M1P 4P5"}};
            var dateStyle = book.createCellStyle();
            dateStyle.setDataFormat(book.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            for (int r = 0; r < cells.length; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < cells[r].length; c++) {
                    Object v = cells[r][c];
                    if (v instanceof LocalDate d) {
                        row.createCell(c).setCellValue(d);
                        row.getCell(c).setCellStyle(dateStyle);
                    } else if (v instanceof Integer i) {
                        row.createCell(c).setCellValue(i);
                    } else {
                        row.createCell(c).setCellValue((String) v);
                    }
                }
            }
            book.write(out);
            xlsx = out.toByteArray();
        }
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String bomCsv = "Reference\tFirst Name\tLast Name\tPhone\tConsent\tArrival Date\tYears of Experience\tEnglish Level\n"
                + "B-" + ref + "\tAna\tSilva\t4165550177\tyes\t2024-02-02\t5\t8\n";
        ByteArrayOutputStream withBom = new ByteArrayOutputStream();
        withBom.write(bom);
        withBom.write(bomCsv.getBytes(StandardCharsets.UTF_8));
        String jsonl = "{\"Reference\": \"J-" + ref + "\", \"First Name\": \"Ravi\", \"Last Name\": \"Patel\", "
                + "\"Email\": \"ravi." + ref + "@example.in\", \"Consent\": \"yes\"}\n"
                + "{\"Reference\": \"J2-" + ref + "\", \"First Name\": \"Noor\"}\n";
        try (SftpAgency agency = SftpAgency.withPassword(hub, "cics", PASSWORDS.get("cics"))) {
            agency.upload("inbound/clients-" + ref + ".xlsx", xlsx);
            agency.upload("inbound/tabbed-" + ref + ".txt", withBom.toByteArray());
            agency.upload("inbound/records-" + ref + ".jsonl", jsonl.getBytes(StandardCharsets.UTF_8));
            List<CSVRecord> fromXlsx = results(agency, "clients-" + ref + ".xlsx");
            assertThat(fromXlsx).singleElement().satisfies(r -> assertThat(r.get("outcome")).isEqualTo("accepted"));
            JsonNode wei = http.get("/v1/referrals/" + fromXlsx.get(0).get("referralId"), KEYS.get("cics")).body();
            assertThat(wei.at("/client/arrivalDate").asText()).isEqualTo("2024-01-20");
            assertThat(wei.at("/client/yearsOfExperience").asInt()).isEqualTo(7);
            assertThat(results(agency, "tabbed-" + ref + ".txt")).singleElement()
                    .satisfies(r -> assertThat(r.get("outcome")).isEqualTo("accepted"));
            assertThat(results(agency, "records-" + ref + ".jsonl")).extracting(r -> r.get("outcome"))
                    .containsExactly("accepted", "rejected");
        }
    }

    @Test
    void theSameFileUploadedAgainStoresNothingTwice() throws Exception {
        String ref = unique();
        String csv = "Reference,First Name,Last Name,Email,Consent\nR-" + ref + ",Ama,Mensah,ama." + ref + "@example.gh,yes\n";
        try (SftpAgency agency = SftpAgency.withKey(hub, "nych", nychKey)) {
            agency.upload("inbound/again-" + ref + ".csv", csv.getBytes(StandardCharsets.UTF_8));
            String first = results(agency, "again-" + ref + ".csv").get(0).get("referralId");
            agency.upload("inbound/again-" + ref + "-copy.csv", csv.getBytes(StandardCharsets.UTF_8));
            List<CSVRecord> second = results(agency, "again-" + ref + "-copy.csv");
            assertThat(second).singleElement().satisfies(r -> {
                assertThat(r.get("outcome")).isEqualTo("unreadable");
                assertThat(r.get("reasons")).contains("already processed");
            });
            String edited = csv + "R2-" + ref + ",Kofi,Boateng,kofi." + ref + "@example.gh,yes\n";
            agency.upload("inbound/again-" + ref + "-more.csv", edited.getBytes(StandardCharsets.UTF_8));
            List<CSVRecord> third = results(agency, "again-" + ref + "-more.csv");
            assertThat(third).extracting(r -> r.get("outcome")).containsExactly("duplicate", "accepted");
            assertThat(third.get(0).get("referralId")).isEqualTo(first);
        }
    }

    @Test
    void aCorruptFileIsAnsweredWithItsReasonAndMovedToError() throws Exception {
        String ref = unique();
        try (SftpAgency agency = SftpAgency.withPassword(hub, "tropicana", PASSWORDS.get("tropicana"))) {
            agency.upload("inbound/broken-" + ref + ".xlsx", "PK\u0003\u0004 not really a workbook".getBytes(StandardCharsets.ISO_8859_1));
            List<CSVRecord> rows = results(agency, "broken-" + ref + ".xlsx");
            assertThat(rows).singleElement().satisfies(r -> {
                assertThat(r.get("outcome")).isEqualTo("unreadable");
                assertThat(r.get("reasons")).contains("XLSX");
            });
            assertThat(agency.list("error")).contains("broken-" + ref + ".xlsx");
        }
        try (var files = Files.walk(data.resolve("archive").resolve("raw").resolve("sftp").resolve("tropicana"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".xlsx"))).isNotEmpty();
        }
    }

    @Test
    void aFileStillBeingUploadedIsNotReadUntilRenamed() throws Exception {
        String ref = unique();
        String csv = "Reference,First Name,Last Name,Email,Consent\nU-" + ref + ",Ivan,Petrov,ivan." + ref + "@example.ua,yes\n";
        try (SftpAgency agency = SftpAgency.withPassword(hub, "times-change", PASSWORDS.get("times-change"))) {
            agency.upload("inbound/slow-" + ref + ".csv.part", csv.getBytes(StandardCharsets.UTF_8));
            Thread.sleep(1500);
            assertThat(agency.list("inbound")).contains("slow-" + ref + ".csv.part");
            assertThat(agency.list("results")).doesNotContain("slow-" + ref + ".csv.part.results.csv");
            agency.rename("inbound/slow-" + ref + ".csv.part", "inbound/slow-" + ref + ".csv");
            assertThat(results(agency, "slow-" + ref + ".csv")).singleElement()
                    .satisfies(r -> assertThat(r.get("outcome")).isEqualTo("accepted"));
        }
    }

    @Test
    void anUploadCutOffByADroppedConnectionIsNeverRead() throws Exception {
        String ref = unique();
        SftpAgency agency = SftpAgency.withPassword(hub, "tropicana", PASSWORDS.get("tropicana"));
        OutputStream out = agency.openForWrite("inbound/cut-" + ref + ".csv");
        out.write(("Reference,First Name,Last Name,Email,Consent\nX-" + ref + ",Half,").getBytes(StandardCharsets.UTF_8));
        out.flush();
        agency.dropConnection();
        Path home = SftpAgency.home(hub, "tropicana");
        Path answer = home.resolve("results").resolve("cut-" + ref + ".csv.results.csv");
        Instant deadline = Instant.now().plusSeconds(10);
        while (!Files.exists(answer) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        // set aside with an answer, never read — not even by the sweep that takes files left in inbound/
        assertThat(Files.readString(answer)).contains("the connection ended before the upload was complete");
        assertThat(home.resolve("inbound").resolve("cut-" + ref + ".csv")).doesNotExist();
        assertThat(home.resolve("error").resolve("cut-" + ref + ".csv.partial-upload")).exists();
        assertThat(http.get("/v1/referrals?limit=100", KEYS.get("tropicana")).body().toString()).doesNotContain("X-" + ref);

        // the agency reads the answer, then uploads the file again, whole: read once
        Files.delete(answer);
        try (SftpAgency again = SftpAgency.withPassword(hub, "tropicana", PASSWORDS.get("tropicana"))) {
            again.upload("inbound/cut-" + ref + ".csv", ("Reference,First Name,Last Name,Email,Consent\nX-" + ref
                    + ",Half,Done,half." + ref + "@example.org,yes\n").getBytes(StandardCharsets.UTF_8));
            assertThat(results(again, "cut-" + ref + ".csv")).singleElement()
                    .satisfies(r -> assertThat(r.get("outcome")).isEqualTo("accepted"));
        }
    }

    @Test
    void wrongCredentialsAreRefusedAndEachAgencyIsConfinedToItsHome() throws Exception {
        assertThatThrownBy(() -> SftpAgency.withPassword(hub, "cics", "wrong")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> SftpAgency.withPassword(hub, "nobody", "x")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> SftpAgency.withKey(hub, "cics", nychKey)).isInstanceOf(IOException.class);
        Files.writeString(SftpAgency.home(hub, "cet").resolve("results").resolve("private.csv"), "secret");
        try (SftpAgency agency = SftpAgency.withPassword(hub, "cics", PASSWORDS.get("cics"))) {
            assertThat(agency.list("/")).containsExactlyInAnyOrder("inbound", "results", "archive", "error");
            assertThat(agency.list("/..")).doesNotContain("cet");
            assertThatThrownBy(() -> agency.download("../cet/results/private.csv")).isInstanceOf(IOException.class);
        }
    }
}
