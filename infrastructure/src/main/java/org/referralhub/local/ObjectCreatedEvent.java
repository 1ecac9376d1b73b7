package org.referralhub.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.referralhub.functions.FileIntakeFunction;

/**
 * The event a bucket sends when an object is written, as the local stand-ins for Transfer Family and SES send it:
 * S3's own notification (the mail bucket), or S3's "Object Created" through EventBridge (the file-drop bucket).
 */
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

    /** @param key the object key as stored; EventBridge carries it as it is */
    static ScheduledEvent viaEventBridge(String bucket, String key, long size) {
        ScheduledEvent event = new ScheduledEvent();
        event.setVersion("0");
        event.setId(UUID.randomUUID().toString());
        event.setSource("aws.s3");
        event.setDetailType(FileIntakeFunction.OBJECT_CREATED);
        event.setAccount("000000000000");
        event.setRegion("ca-central-1");
        event.setResources(List.of("arn:aws:s3:::" + bucket));
        event.setDetail(Map.of("version", "0", "bucket", Map.of("name", bucket),
                "object", Map.of("key", key, "size", size), "reason", "PutObject", "requester", "local"));
        return event;
    }
}
