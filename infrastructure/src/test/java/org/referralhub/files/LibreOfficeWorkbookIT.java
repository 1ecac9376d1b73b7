package org.referralhub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workbook saved by a real spreadsheet program: LibreOffice Calc, headless, turns an agency's CSV into XLSX (a date,
 * a decimal, text with an accent and a line break), and the hub's reader reads each cell as LibreOffice stored it —
 * POI, the oracle, says what that is. {@code .ci/run} installs LibreOffice; elsewhere the test is skipped without it.
 */
class LibreOfficeWorkbookIT {

    @TempDir
    Path folder;

    @Test
    void aWorkbookSavedByLibreOfficeReadsAsItsAuthorSeesIt() throws Exception {
        String soffice = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "soffice"))) {
                soffice = Path.of(dir, "soffice").toString();
            }
        }
        assumeTrue(soffice != null || "true".equals(System.getenv("SPREADSHEET_REQUIRED")), "LibreOffice is not installed");
        assertThat(soffice).as("LibreOffice (soffice) on the PATH").isNotNull();
        Path csv = folder.resolve("clients.csv");
        Files.writeString(csv, "First Name,Arrival,Years,Notes\r\nHélène,2024-03-15,2.05,\"first line\nsecond line\"\r\n"
                + "Omar,2023-12-31,10,plain\r\n", StandardCharsets.UTF_8);
        Process convert = new ProcessBuilder(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"
                + folder.resolve("profile").toAbsolutePath(), "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx",
                "--outdir", folder.toString(), csv.toString()).redirectErrorStream(true)
                .redirectOutput(folder.resolve("soffice.log").toFile()).start();
        boolean done = convert.waitFor(120, TimeUnit.SECONDS);
        Path xlsx = folder.resolve("clients.xlsx");
        assertThat(done && Files.exists(xlsx)).as("LibreOffice converted the file; its log:\n"
                + Files.readString(folder.resolve("soffice.log"))).isTrue();
        byte[] bytes = Files.readAllBytes(xlsx);

        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
            var arrival = book.getSheetAt(0).getRow(1).getCell(1);
            assertThat(arrival.getCellType()).as("LibreOffice stored the arrival as a number").isEqualTo(CellType.NUMERIC);
            assertThat(DateUtil.isCellDateFormatted(arrival)).as("formatted as a date").isTrue();
        }
        List<FileRow> rows = new ArrayList<>();
        try (ReferralFileReader reader = ReferralFileReader.open("clients.xlsx", new ByteArrayInputStream(bytes), null,
                FileLimits.DEFAULT)) {
            reader.forEachRemaining(rows::add);
        }
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).fields().get("First Name").asText()).isEqualTo("Hélène");
        assertThat(rows.get(0).fields().get("Arrival").asText()).isEqualTo("2024-03-15");
        assertThat(rows.get(0).fields().get("Years").asText()).isEqualTo("2.05");
        assertThat(rows.get(0).fields().get("Notes").asText()).isEqualTo("first line\nsecond line");
        assertThat(rows.get(1).fields().get("Arrival").asText()).isEqualTo("2023-12-31");
        assertThat(rows.get(1).fields().get("Years").asText()).isEqualTo("10");
    }
}
