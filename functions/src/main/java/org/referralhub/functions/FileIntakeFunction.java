package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.files.FileImport;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;
import org.referralhub.logging.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agency files: S3's "Object Created" event, through EventBridge, for a key in an agency's {@code inbound/} folder
 * of the bucket behind the Transfer Family SFTP server (locally, the embedded SFTP server's upload-complete event in
 * the same shape). EventBridge's rule matches {@code *}{@code /inbound/*} only, so the results and archive files the
 * hub writes into the same bucket never start the function — which S3's own notifications, able to filter on a
 * key's start and end only, could not promise. EventBridge's keys are the object's own (not URL-encoded, unlike S3's
 * notifications). A failure fails the invocation so Lambda's retry brings the event back; the content-hash claim
 * makes that retry safe.
 */
public final class FileIntakeFunction implements RequestHandler<ScheduledEvent, List<FileImport.Summary>> {

    private static final Logger LOG = LoggerFactory.getLogger(FileIntakeFunction.class);

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.FILES);
    /** The EventBridge event S3 sends when an object is written. */
    public static final String OBJECT_CREATED = "Object Created";

    private final ProducerTemplate routes;

    public FileIntakeFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public FileIntakeFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    public List<FileImport.Summary> handleRequest(ScheduledEvent event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            String key = key(event);
            if (key == null) {
                LOG.warn("an event that is not S3's Object Created with a key ({} from {}) was ignored",
                        event.getDetailType(), event.getSource());
                return List.of();
            }
            return List.of(routes.requestBody(Endpoints.FILE_INTAKE, key, FileImport.Summary.class));
        }
    }

    /** The object's key in S3's Object Created event; null for any other event. */
    @SuppressWarnings("unchecked")
    static String key(ScheduledEvent event) {
        if (!"aws.s3".equals(event.getSource()) || !OBJECT_CREATED.equals(event.getDetailType())
                || event.getDetail() == null || !(event.getDetail().get("object") instanceof Map<?, ?> object)) {
            return null;
        }
        return ((Map<String, Object>) object).get("key") instanceof String key ? key : null;
    }
}
