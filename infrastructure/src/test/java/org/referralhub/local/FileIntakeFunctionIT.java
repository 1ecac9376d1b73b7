package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.files.FileImport;
import org.referralhub.functions.AwsEvents;
import org.referralhub.functions.FileIntakeFunction;

/** The file-intake handler fed with S3 ObjectCreated event JSON, against DynamoDB Local and a file drop directory. */
class FileIntakeFunctionIT extends HubOnDynamoDbLocal {


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
