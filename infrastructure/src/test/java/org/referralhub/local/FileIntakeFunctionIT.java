package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.files.FileImport;
import org.referralhub.functions.AwsEvents;
import org.referralhub.functions.FileIntakeFunction;

/**
 * The file-intake handler fed with S3's "Object Created" event as EventBridge delivers it (the example of S3's user
 * guide, "EventBridge event message structure", with this bucket's key), against DynamoDB Local and a file drop
 * directory.
 */
class FileIntakeFunctionIT extends HubOnDynamoDbLocal {

    private static String fixture() throws Exception {
        try (InputStream in = FileIntakeFunctionIT.class.getClassLoader()
                .getResourceAsStream("events/eventbridge-s3-object-created.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<FileImport.Summary> invoke(String json) {
        ScheduledEvent event = AwsEvents.read(ScheduledEvent.class,
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        return new FileIntakeFunction(hub).handleRequest(event, new LocalLambdaContext("file-intake"));
    }

    @Test
    void anObjectCreatedInAnInboundFolderIsImportedByItsKeyAsStored() throws Exception {
        Path inbound = Files.createDirectories(data.resolve("drops/polycultural/inbound"));
        Files.writeString(inbound.resolve("Weekly referrals (Nov).csv"),
                "Case ID,First Name,Last Name,Email,Consent to Refer\nS3-1,Lina,Haddad,lina@example.net,Y\n",
                StandardCharsets.UTF_8);

        List<FileImport.Summary> summaries = invoke(fixture());

        assertThat(summaries).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo("processed");
            assertThat(s.accepted()).isEqualTo(1);
        });
        assertThat(data.resolve("drops/polycultural/results/Weekly referrals (Nov).csv.results.csv")).exists();
        assertThat(Files.list(data.resolve("drops/polycultural/archive")).toList()).hasSize(1);
    }

    @Test
    void anEventForAnotherFolderOrOfAnotherKindIsNotImported() throws Exception {
        // EventBridge's rule lets no such event through; were one to come, it is still not an agency's file
        assertThat(invoke(fixture().replace("polycultural/inbound/", "polycultural/results/")))
                .singleElement().satisfies(s -> assertThat(s.outcome()).startsWith("ignored"));
        assertThat(invoke(fixture().replace("\"Object Created\"", "\"Object Deleted\""))).isEmpty();
    }
}
