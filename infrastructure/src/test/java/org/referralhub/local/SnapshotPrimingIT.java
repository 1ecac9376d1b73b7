package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * What SnapStart's before-snapshot hook runs: the first request's path — health, and a sample through every agency's
 * mapping, checks and routing — without storing, archiving or sending anything.
 */
class SnapshotPrimingIT extends HubOnDynamoDbLocal {

    @Test
    void primingRunsEveryAgencysSampleAndChangesNothing() throws Exception {
        String table = hub.services().store().tableName();
        int before = hub.dynamo().scan(r -> r.tableName(table).select("COUNT")).count();
        long archived = archivedFiles();

        int ran = hub.prime();

        assertThat(ran).as("each agency's sample, canonical and with its own mapping, and the FHIR sample")
                .isEqualTo(3 * hub.services().config().agencies().size());
        assertThat(hub.dynamo().scan(r -> r.tableName(table).select("COUNT")).count()).as("nothing stored").isEqualTo(before);
        assertThat(archivedFiles()).as("nothing archived").isEqualTo(archived);
    }

    private long archivedFiles() throws IOException {
        if (!Files.exists(data.resolve("archive"))) {
            return 0;
        }
        try (var all = Files.walk(data.resolve("archive"))) {
            return all.filter(Files::isRegularFile).count();
        }
    }
}
