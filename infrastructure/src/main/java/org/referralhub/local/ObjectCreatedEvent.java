package org.referralhub.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** The S3 ObjectCreated event a bucket sends, as the local stand-ins for Transfer Family and SES send it. */
final class ObjectCreatedEvent {

    private ObjectCreatedEvent() {
    }

    /** @param key the object key as stored; it is URL-encoded in the event, as S3 does */
    static S3Event of(String bucket, String key, long size, String principal) {
        var object = new S3EventNotification.S3ObjectEntity(URLEncoder.encode(key, StandardCharsets.UTF_8)
                .replace("%2F", "/"), size, null, null, Long.toHexString(System.nanoTime()));
        var bucketEntity = new S3EventNotification.S3BucketEntity(bucket,
                new S3EventNotification.UserIdentityEntity("local"), "arn:aws:s3:::" + bucket);
        var entity = new S3EventNotification.S3Entity(bucket + "-events", bucketEntity, object, "1.0");
        var record = new S3EventNotification.S3EventNotificationRecord("ca-central-1", "ObjectCreated:Put", "aws:s3",
                Instant.now().toString(), "2.1", new S3EventNotification.RequestParametersEntity("127.0.0.1"),
                new S3EventNotification.ResponseElementsEntity("local", "local"), entity,
                new S3EventNotification.UserIdentityEntity(principal));
        return new S3Event(List.of(record));
    }
}
