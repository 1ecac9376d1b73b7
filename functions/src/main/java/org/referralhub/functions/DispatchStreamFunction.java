package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;
import org.referralhub.logging.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher, fed by the referrals table's stream: the referral items of a batch whose delivery is pending are
 * handed to the dispatch route together — claimed in one conditional write, so two dispatchers never overlap, sent
 * several at once ({@code delivery.concurrentDeliveries}, 8 by default), since a delivery mostly waits on the
 * partner, and recorded in one write. A dispatch that fails reports its records (partial batch response); what was
 * claimed waits out its lease and is offered again.
 */
public final class DispatchStreamFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.DISPATCH);

    private static final Logger LOG = LoggerFactory.getLogger(DispatchStreamFunction.class);

    private final ProducerTemplate routes;
    public DispatchStreamFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public DispatchStreamFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        try (Correlation ignored = Correlation.of(context == null ? null : context.getAwsRequestId())) {
            return handle(event);
        }
    }

    private StreamsEventResponse handle(DynamodbEvent event) {
        // one dispatch for the batch: its referrals' due deliveries claimed together, sent several at once, recorded
        // together; each referral under the sequence number of its first record, so a retry starts no later than it
        Map<String, String> pending = new LinkedHashMap<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            String referralId = pendingReferral(record);
            if (referralId != null) {
                pending.putIfAbsent(referralId, record.getDynamodb().getSequenceNumber());
            }
        }
        if (pending.isEmpty()) {
            return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        }
        try {
            routes.requestBody(Endpoints.DISPATCH, new ArrayList<>(pending.keySet()));
            return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        } catch (RuntimeException e) {
            // nothing of it was recorded: claims run out and every referral of it is offered again
            LOG.warn("dispatch of {} referral(s) failed, their stream records will be retried: {}", pending.size(),
                    e.getClass().getSimpleName());
            return StreamsEventResponse.builder().withBatchItemFailures(pending.values().stream().map(sequence ->
                    StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequence).build()).toList())
                    .build();
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
