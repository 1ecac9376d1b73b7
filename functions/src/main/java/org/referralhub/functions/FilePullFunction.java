package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.files.FileImport;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;
import org.referralhub.logging.Correlation;

/**
 * The file channel's schedule (EventBridge every five minutes in AWS; the local hub's scheduler locally): fetches new
 * files from the SFTP servers of agencies that keep their files at home, then takes any file left in an inbound
 * folder past the intake lease — its event was lost, or the reader crashed — where the stored rows end.
 */
public final class FilePullFunction implements RequestHandler<ScheduledEvent, List<FileImport.Summary>> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.FILES);

    private final ProducerTemplate routes;

    public FilePullFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public FilePullFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    public List<FileImport.Summary> handleRequest(ScheduledEvent event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            return handle(event);
        }
    }

    @SuppressWarnings("unchecked")
    private List<FileImport.Summary> handle(ScheduledEvent event) {
        List<FileImport.Summary> all = new ArrayList<>(routes.requestBody(Endpoints.FILE_PULL, null, List.class));
        all.addAll(routes.requestBody(Endpoints.FILE_LEFTOVERS, null, List.class));
        return all;
    }
}
