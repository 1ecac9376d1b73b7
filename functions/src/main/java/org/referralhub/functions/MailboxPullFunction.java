package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Set;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.logging.Correlation;
import org.referralhub.email.EmailImport;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;

/**
 * E-mail pull mode's schedule (EventBridge every five minutes in AWS; the local hub's scheduler locally): reads new
 * mail from the IMAP mailboxes of agencies that keep referral mail at home.
 */
public final class MailboxPullFunction implements RequestHandler<ScheduledEvent, List<EmailImport.Outcome>> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.EMAIL);

    private final ProducerTemplate routes;

    public MailboxPullFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public MailboxPullFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    public List<EmailImport.Outcome> handleRequest(ScheduledEvent event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            return handle(event);
        }
    }

    @SuppressWarnings("unchecked")
    private List<EmailImport.Outcome> handle(ScheduledEvent event) {
        return routes.requestBody(Endpoints.MAILBOX_PULL, null, List.class);
    }
}
