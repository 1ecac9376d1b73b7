package org.referralhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.PartnerChannel;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;

/**
 * What a partner that takes files opens: the hub's CSV, opened by a real spreadsheet program (LibreOffice Calc,
 * headless, converting it to XLSX) and read back cell by cell with Apache POI. A phone arrives as the number it is,
 * with no apostrophe; a name that a spreadsheet would run as a formula arrives as text, never as a formula.
 * {@code .ci/run} installs LibreOffice and sets {@code SPREADSHEET_REQUIRED}; elsewhere the test is skipped without it.
 */
class PartnerCsvInSpreadsheetIT {

    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

    @TempDir
    Path folder;

    @Test
    void aPartnersCsvOpensInASpreadsheetWithItsPhonesAsNumbersAndNoFormula() throws Exception {
        String soffice = soffice();
        assumeTrue(soffice != null || Boolean.getBoolean("spreadsheet.required")
                || "true".equals(System.getenv("SPREADSHEET_REQUIRED")), "LibreOffice is not installed");
        assertThat(soffice).as("LibreOffice (soffice) on the PATH").isNotNull();

        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml",
                java.util.Map.of("hubBaseUrl", "http://localhost:9"), name -> "whsec_c2VjcmV0");
        var agency = config.agency("cics").orElseThrow();
        ObjectNode payload;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("samples/cics-canonical.json")) {
            payload = (ObjectNode) CanonicalJson.MAPPER.readTree(in);
        }
        ((ObjectNode) payload.get("client")).put("lastName", "=HYPERLINK(\"http://evil.example\",\"Okafor\")");
        Referral referral = new ReferralIntake(config).assemble(new ReferralIntake.Receipt(ReferralIds.newId(NOW), agency,
                Channel.WEBHOOK, agency.webhookMapping(), NOW, "test"), payload);
        assertThat(referral.client().phone()).isEqualTo("+14165550123");
        PartnerChannel.Sftp costi = (PartnerChannel.Sftp) config.partner("costi").orElseThrow().intake();
        Path csv = folder.resolve("referrals.csv");
        Files.write(csv, PartnerFile.render(costi, List.of(PartnerReferral.of(referral, agency.name()))));
        assertThat(Files.readString(csv, StandardCharsets.UTF_8)).contains(",+14165550123").doesNotContain("'+1416");

        Path out = folder.resolve("out");
        Process convert = new ProcessBuilder(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"
                + folder.resolve("profile").toAbsolutePath(), "--convert-to", "xlsx", "--outdir", out.toString(),
                csv.toString()).redirectErrorStream(true).redirectOutput(folder.resolve("soffice.log").toFile()).start();
        boolean done = convert.waitFor(120, TimeUnit.SECONDS);
        Path xlsx = out.resolve("referrals.xlsx");
        assertThat(done && Files.exists(xlsx)).as("LibreOffice converted the file; its log:\n"
                + Files.readString(folder.resolve("soffice.log"))).isTrue();

        try (XSSFWorkbook workbook = new XSSFWorkbook(xlsx.toFile())) {
            Sheet sheet = workbook.getSheetAt(0);
            Row header = sheet.getRow(0);
            int phone = column(header, "Phone");
            int lastName = column(header, "Client Last Name");
            Row row = sheet.getRow(1);
            assertThat(row.getCell(phone).getCellType()).as("the phone is a number").isEqualTo(CellType.NUMERIC);
            assertThat((long) row.getCell(phone).getNumericCellValue()).isEqualTo(14165550123L);
            for (Cell cell : row) {
                assertThat(cell.getCellType()).as("cell " + cell.getAddress() + " is no formula").isNotEqualTo(CellType.FORMULA);
            }
            assertThat(row.getCell(lastName).getStringCellValue()).contains("HYPERLINK").startsWith("'");
        }
    }

    private static int column(Row header, String name) {
        for (Cell cell : header) {
            if (name.equals(cell.getStringCellValue())) {
                return cell.getColumnIndex();
            }
        }
        throw new AssertionError("no column " + name);
    }

    private static String soffice() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "soffice"))) {
                return Path.of(dir, "soffice").toString();
            }
        }
        return null;
    }
}
