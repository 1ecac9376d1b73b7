package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** For tests of what days of waiting do: a local hub per class on a clock the test moves by hand. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HubOnMovableClock {

    static final Map<String, String> KEYS = LocalHub.demoKeys();

    final MovableClock now;
    @TempDir
    Path data;
    LocalHub hub;
    HubClient agencies;

    HubOnMovableClock(Instant start) {
        this.now = new MovableClock(start);
    }

    @BeforeAll
    void startHub() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(200).withClock(now));
        agencies = new HubClient(hub.baseUrl());
    }

    @AfterAll
    void stopHub() {
        hub.close();
    }

    /** Reads {@code path} until the condition holds, or fails after 20 s (of the wall clock). */
    JsonNode await(String path, String key, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        JsonNode last = agencies.get(path, key).body();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            Thread.sleep(150);
            last = agencies.get(path, key).body();
        }
        assertThat(done.test(last)).as("waited for " + last).isTrue();
        return last;
    }
}
