package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.files.FileImport;
import org.referralhub.functions.AwsEvents;
import org.referralhub.functions.FileIntakeFunction;
import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;
import org.referralhub.store.ReferralTableDefinition;

/** The file-intake handler fed with S3 ObjectCreated event JSON, against DynamoDB Local and a file drop directory. */
class FileIntakeFunctionIT {

    private static DynamoDbLocalServer dynamo;
    private Hub hub;

    @TempDir
    Path data;

    @BeforeAll
    static void startDynamo() throws Exception {
        dynamo = DynamoDbLocalServer.start(LocalHub.freePort(), null);
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    @BeforeEach
    void startHub() {
        String table = "referrals-" + UUID.randomUUID();
        hub = Hub.start(HubSettings.of(Map.of(
                HubSettings.REFERRALS_TABLE, table,
                HubSettings.ARCHIVE_DIR, data.resolve("archive").toString(),
                HubSettings.FILE_DROP_DIR, data.resolve("drops").toString(),
                HubSettings.AWS_ENDPOINT_URL, dynamo.endpoint(),
                HubSettings.HUB_BASE_URL, "http://localhost:9")));
        ReferralTableDefinition.ensureExists(hub.dynamo(), table);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void anObjectCreatedInAnInboundFolderIsImportedAndOtherFoldersAreIgnored() throws Exception {
        Path inbound = Files.createDirectories(data.resolve("drops/polycultural/inbound"));
        Files.writeString(inbound.resolve("Weekly referrals (Nov).csv"),
                "Case ID,First Name,Last Name,Email,Consent to Refer\nS3-1,Lina,Haddad,lina@example.net,Y\n",
                StandardCharsets.UTF_8);
        S3Event event = AwsEvents.read(S3Event.class, "events/s3-object-created.json");

        List<FileImport.Summary> summaries = new FileIntakeFunction(hub).handleRequest(event, new LocalLambdaContext("file-intake"));

        assertThat(summaries).hasSize(2);
        assertThat(summaries.get(0).outcome()).isEqualTo("processed");
        assertThat(summaries.get(0).accepted()).isEqualTo(1);
        assertThat(summaries.get(1).outcome()).startsWith("ignored");
        assertThat(data.resolve("drops/polycultural/results/Weekly referrals (Nov).csv.results.csv")).exists();
        assertThat(Files.list(data.resolve("drops/polycultural/archive")).toList()).hasSize(1);
    }
}
