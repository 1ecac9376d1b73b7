package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Set;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.logging.Correlation;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;

/**
 * The dispatcher's schedule (EventBridge, every minute in AWS; every few seconds in the local hub): delivers every
 * referral whose next attempt is due, which is how retries after a backoff happen, and sends the agencies' notices
 * that are due (status changes, daily digests), and — every ten minutes — reminds partners of referrals they let
 * wait and sends on those they let wait too long.
 */
public final class DispatchSweepFunction implements RequestHandler<ScheduledEvent, Map<String, Integer>> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.DISPATCH, Wing.NOTICES);

    private final ProducerTemplate routes;

    public DispatchSweepFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public DispatchSweepFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            return handle(event);
        }
    }

    private Map<String, Integer> handle(ScheduledEvent event) {
        Integer tried = routes.requestBody(Endpoints.DISPATCH_DUE, null, Integer.class);
        Integer stale = routes.requestBody(Endpoints.STALE_SWEEP, null, Integer.class);
        Integer notices = routes.requestBody(Endpoints.NOTIFY_DUE, null, Integer.class);
        return Map.of("due", tried == null ? 0 : tried, "stale", stale == null ? 0 : stale,
                "notices", notices == null ? 0 : notices);
    }
}
