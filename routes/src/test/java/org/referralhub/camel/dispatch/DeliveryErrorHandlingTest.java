package org.referralhub.camel.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

class DeliveryErrorHandlingTest {

    @Test
    void theHubsOwnStoreFailingIsNotAnAttemptOfThePartners() {
        assertThat(DeliveryErrorHandling.hubFault(new IllegalStateException("recording failed",
                DynamoDbException.builder().message("throttled").build()))).isTrue();
        assertThat(DeliveryErrorHandling.hubFault(new HttpOperationFailedException("http://p", 503, "Unavailable", null, null, null)))
                .isFalse();
        assertThat(DeliveryErrorHandling.hubFault(new ConnectException("refused"))).isFalse();
    }

    @Test
    void aFailureIsDescribedWithoutClientData() {
        assertThat(DeliveryErrorHandling.describe(new HttpOperationFailedException("http://p", 500, "x", null, null, "body")))
                .isEqualTo("partner answered HTTP 500");
        assertThat(DeliveryErrorHandling.describe(new ConnectException("refused"))).isEqualTo("connection refused");
    }
}
