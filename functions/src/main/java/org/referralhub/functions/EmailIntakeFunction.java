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
import org.referralhub.email.EmailImport;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;

/**
 * Received e-mail (SES receipt rule → raw MIME in the mail bucket → S3 event; locally, the embedded SMTP server
 * drops the message and sends the same event): each message goes to the e-mail intake route.
 */
public final class EmailIntakeFunction implements RequestHandler<S3Event, List<EmailImport.Outcome>> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.EMAIL);

    private final ProducerTemplate routes;

    public EmailIntakeFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public EmailIntakeFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    public List<EmailImport.Outcome> handleRequest(S3Event event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            return handle(event);
        }
    }

    private List<EmailImport.Outcome> handle(S3Event event) {
        List<EmailImport.Outcome> outcomes = new ArrayList<>();
        for (S3EventNotification.S3EventNotificationRecord record : event.getRecords()) {
            if (record.getEventName() != null && record.getEventName().startsWith("ObjectCreated")) {
                outcomes.add(routes.requestBody(Endpoints.EMAIL_INTAKE, record.getS3().getObject().getUrlDecodedKey(),
                        EmailImport.Outcome.class));
            }
        }
        return outcomes;
    }
}
