package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.DeliveryPolicy;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;
import org.referralhub.logging.Correlation;

/**
 * The dispatcher's schedule (EventBridge, every minute in AWS; every few seconds in the local hub): delivers the
 * referrals whose next attempt is due — several at once, none started so late that it could outlast the invocation
 * (the rest are the next minute's) — which is how retries after a backoff happen, and sends the agencies' notices
 * that are due (status changes, daily digests), and — every ten minutes — reminds partners of referrals they let
 * wait and sends on those they let wait too long.
 */
public final class DispatchSweepFunction implements RequestHandler<ScheduledEvent, Map<String, Integer>> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.DISPATCH, Wing.NOTICES);

    private final Hub hub;
    private final ProducerTemplate routes;

    public DispatchSweepFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public DispatchSweepFunction(Hub hub) {
        this.hub = hub;
        this.routes = hub.producer();
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            Duration budget = context == null ? null
                    : Duration.ofMillis(context.getRemainingTimeInMillis()).minus(reserve());
            return handle(budget);
        }
    }

    /**
     * The time kept back at the end of an invocation: a delivery started just before the deadline may take its whole
     * connect and response timeouts, and its record a moment more.
     */
    private Duration reserve() {
        DeliveryPolicy policy = hub.services().config().delivery();
        return Duration.ofSeconds(policy.connectTimeoutSeconds() + policy.responseTimeoutSeconds() + 5L);
    }

    /** The stale sweep and the notices first, each bounded; then due deliveries, in lanes, until the deadline. */
    private Map<String, Integer> handle(Duration budget) {
        Integer stale = routes.requestBody(Endpoints.STALE_SWEEP, null, Integer.class);
        Integer notices = routes.requestBody(Endpoints.NOTIFY_DUE, null, Integer.class);
        Integer tried = routes.requestBodyAndHeader(Endpoints.DISPATCH_DUE, null, Endpoints.TIME_BUDGET, budget,
                Integer.class);
        return Map.of("due", tried == null ? 0 : tried, "stale", stale == null ? 0 : stale,
                "notices", notices == null ? 0 : notices);
    }
}
