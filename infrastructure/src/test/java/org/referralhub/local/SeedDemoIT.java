package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./referral-hub seed-demo} as README runs it: a local hub running, then the seeding program (what the script
 * runs) in a process of its own, told where the hub is by the same environment variables. It must find the hub's key
 * store and write its referrals into the hub's table, and the hub then sees them.
 */
class SeedDemoIT {

    @TempDir
    Path data;

    @Test
    void seedDemoFillsTheRunningLocalHub() throws Exception {
        int dynamoPort = LocalHub.freePort();
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, dynamoPort, 0).withDataDirectory(data))) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder seeding = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    DemoData.class.getName(), "40", "7").redirectErrorStream(true)
                    .redirectOutput(data.resolve("seed-demo.log").toFile());
            seeding.environment().put("HUB_DYNAMODB_PORT", Integer.toString(dynamoPort));
            seeding.environment().put("HUB_DATA_DIR", data.toString());
            seeding.environment().put("HUB_PORT", hub.baseUrl().substring(hub.baseUrl().lastIndexOf(':') + 1));
            Process process = seeding.start();
            boolean finished = process.waitFor(120, TimeUnit.SECONDS);
            String log = Files.readString(data.resolve("seed-demo.log"));
            assertThat(finished && process.exitValue() == 0).as("seed-demo ended well; its log:\n" + log).isTrue();

            List<String> seeded = new ArrayList<>();
            for (var agency : hub.hub().services().config().agencies()) {
                hub.hub().services().store().forEachOfAgency(agency.id(), Instant.now().minusSeconds(400L * 86_400),
                        Instant.now().plusSeconds(60), r -> seeded.add(r.referralId()));
            }
            assertThat(seeded).as("the referrals seed-demo made, found by the hub").hasSize(40);
        }
    }
}
