package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.logging.Correlation;
import org.referralhub.files.FileImport;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;

/**
 * Agency files (S3 event from the bucket behind the Transfer Family SFTP server; locally, the embedded SFTP
 * server's upload-complete event): each created object is handed to the file-intake route. A failure fails the
 * invocation so S3's retry brings the event back; the content-hash claim makes that retry safe.
 */
public final class FileIntakeFunction implements RequestHandler<S3Event, List<FileImport.Summary>> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.FILES);

    private final ProducerTemplate routes;

    public FileIntakeFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public FileIntakeFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    public List<FileImport.Summary> handleRequest(S3Event event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            return handle(event);
        }
    }

    private List<FileImport.Summary> handle(S3Event event) {
        List<FileImport.Summary> summaries = new ArrayList<>();
        for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
            if (record.getEventName() == null || !record.getEventName().startsWith("ObjectCreated")) {
                continue;
            }
            String key = record.getS3().getObject().getUrlDecodedKey();
            summaries.add(routes.requestBody(Endpoints.FILE_INTAKE, key, FileImport.Summary.class));
        }
        return summaries;
    }
}
