package org.referralhub.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import org.junit.jupiter.api.Test;

class DispatchStreamFunctionTest {

    @Test
    void onlyReferralItemsWithAPendingDeliveryAreDispatched() {
        DynamodbEvent event = AwsEvents.read(DynamodbEvent.class, "events/dynamodb-stream-batch.json");
        assertThat(event.getRecords()).hasSize(4);
        assertThat(event.getRecords()).map(DispatchStreamFunction::pendingReferral)
                .containsExactly("01M84355NZJFZWGBWCRN73267R", null, null, null);
    }
}
