package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.logging.Correlation;
import org.referralhub.hub.Hub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher, fed by the referrals table's stream: every referral item whose delivery is pending is handed to
 * the dispatch route. Failed records are reported one by one (partial batch response), so one bad record does not
 * replay the batch.
 */
public final class DispatchStreamFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchStreamFunction.class);

    private final ProducerTemplate routes;

    public DispatchStreamFunction() {
        this(FunctionRuntime.hub());
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
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            String referralId = pendingReferral(record);
            if (referralId == null) {
                continue;
            }
            try {
                Correlation.referral(referralId);
                routes.requestBody(Endpoints.DISPATCH, referralId);
            } catch (RuntimeException e) {
                LOG.warn("dispatch of referral {} failed, stream record will be retried: {}", referralId,
                        e.getClass().getSimpleName());
                failures.add(StreamsEventResponse.BatchItemFailure.builder()
                        .withItemIdentifier(record.getDynamodb().getSequenceNumber()).build());
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
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
