package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull mode: Tropicana keeps its exports on its own SFTP server (the local hub's stand-in account). The hub fetches
 * each new file once — not again after a restart — and puts the results file back on Tropicana's server.
 */
class FilePullIT {

    @TempDir
    Path data;

    private LocalHub start(String table) throws Exception {
        return LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data).withTableName(table)
                .withConfigLocation(HubClient.fastRetryConfiguration(data)).withSweepMillis(300).withPullMillis(500));
    }

    private static void export(LocalHub hub, String name, String ref) throws Exception {
        Path file = hub.sftpHome("tropicana-exports").resolve("outbox").resolve(name);
        Files.writeString(file, "Reference,First Name,Last Name,Email,Consent\n" + ref + ",Maria,Santos,maria."
                + ref + "@example.ph,yes\n", StandardCharsets.UTF_8);
        // an export finished a while ago: older than the pull's minimum age
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    }

    private static Path awaitResults(LocalHub hub, String name) throws Exception {
        Path results = hub.sftpHome("tropicana-exports").resolve("results").resolve(name + ".results.csv");
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline) && !Files.exists(results)) {
            Thread.sleep(100);
        }
        assertThat(results).exists();
        return results;
    }

    private static long processed(Path data) throws Exception {
        Path archive = data.resolve("sftp").resolve("tropicana").resolve("archive");
        if (!Files.exists(archive)) {
            return 0;
        }
        try (var files = Files.list(archive)) {
            return files.count();
        }
    }

    @Test
    void eachExportIsFetchedOnceAcrossARestartAndAnsweredOnTheAgencysServer() throws Exception {
        String table = "referrals-" + UUID.randomUUID();
        try (LocalHub hub = start(table)) {
            export(hub, "monday.csv", "T-1");
            List<String> lines = Files.readAllLines(awaitResults(hub, "monday.csv"));
            assertThat(lines.get(1)).startsWith("2,accepted,");
            assertThat(hub.sftpHome("tropicana-exports").resolve("outbox").resolve("monday.csv"))
                    .as("the agency's file is left where it is").exists();
        }
        assertThat(processed(data)).isEqualTo(1);
        try (LocalHub hub = start(table)) {
            export(hub, "tuesday.csv", "T-2");
            awaitResults(hub, "tuesday.csv");
            Thread.sleep(Duration.ofSeconds(2).toMillis());
            assertThat(processed(data)).as("monday.csv is not fetched again after the restart").isEqualTo(2);
        }
    }
}
