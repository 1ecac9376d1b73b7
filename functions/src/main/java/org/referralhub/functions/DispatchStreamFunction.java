package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;
import org.referralhub.logging.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher, fed by the referrals table's stream: every referral item whose delivery is pending is handed to
 * the dispatch route — several at once ({@code delivery.concurrentDeliveries}, 8 by default), since a delivery mostly
 * waits on the partner and the table, and each referral is claimed before it is sent, so two never overlap. Failed
 * records are reported one by one (partial batch response), so one bad record does not replay the batch.
 */
public final class DispatchStreamFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.DISPATCH);

    private static final Logger LOG = LoggerFactory.getLogger(DispatchStreamFunction.class);

    private final Hub hub;
    private final ProducerTemplate routes;
    /** Threads for the deliveries of a batch, made once per container and kept while they are used. */
    private final ExecutorService lanes = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "dispatch-lane");
        thread.setDaemon(true);
        return thread;
    });

    public DispatchStreamFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public DispatchStreamFunction(Hub hub) {
        this.hub = hub;
        this.routes = hub.producer();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            return handle(event, Correlation.current());
        }
    }

    private StreamsEventResponse handle(DynamodbEvent event, String correlationId) {
        // one dispatch per referral, under the sequence number of its first record: a retry starts no later than it
        Map<String, String> pending = new LinkedHashMap<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            String referralId = pendingReferral(record);
            if (referralId != null) {
                pending.putIfAbsent(referralId, record.getDynamodb().getSequenceNumber());
            }
        }
        List<StreamsEventResponse.BatchItemFailure> failures = Collections.synchronizedList(new ArrayList<>());
        List<Map.Entry<String, String>> work = new ArrayList<>(pending.entrySet());
        int laneCount = Math.min(work.size(), hub.services().config().delivery().concurrentDeliveries());
        if (laneCount <= 1) {
            work.forEach(entry -> dispatch(entry.getKey(), entry.getValue(), failures));
            return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
        }
        // lane k takes referrals k, k + lanes, k + 2 lanes…, one after another
        List<Future<?>> running = new ArrayList<>();
        for (int lane = 0; lane < laneCount; lane++) {
            int first = lane;
            running.add(lanes.submit(() -> {
                try (Correlation ignored = Correlation.of(correlationId)) {
                    for (int i = first; i < work.size(); i += laneCount) {
                        dispatch(work.get(i).getKey(), work.get(i).getValue(), failures);
                    }
                }
            }));
        }
        for (Future<?> lane : running) {
            try {
                lane.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while dispatching", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a dispatch lane failed", e.getCause());
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    private void dispatch(String referralId, String sequenceNumber, List<StreamsEventResponse.BatchItemFailure> failures) {
        try {
            Correlation.referral(referralId);
            routes.requestBody(Endpoints.DISPATCH, referralId);
        } catch (RuntimeException e) {
            LOG.warn("dispatch of referral {} failed, stream record will be retried: {}", referralId,
                    e.getClass().getSimpleName());
            failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequenceNumber).build());
        }
    }

    /** The referral id of a referral item whose delivery is pending, or null for any other record. */
    static String pendingReferral(DynamodbEvent.DynamodbStreamRecord record) {
        if ("REMOVE".equals(record.getEventName()) || record.getDynamodb() == null) {
            return null;
        }
        Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
        if (image == null || !"referral".equals(text(image, "kind")) || !"pending".equals(text(image, "deliveryState"))) {
            return null;
        }
        return text(image, "referralId");
    }

    private static String text(Map<String, AttributeValue> image, String name) {
        AttributeValue value = image.get(name);
        return value == null ? null : value.getS();
    }
}
