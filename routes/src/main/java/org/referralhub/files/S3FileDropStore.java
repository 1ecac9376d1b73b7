package org.referralhub.files;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The file drop in AWS: the bucket behind the Transfer Family SFTP server. */
public final class S3FileDropStore implements FileDropStore {

    private final S3Client s3;
    private final String bucket;

    public S3FileDropStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public byte[] read(String key, long maxBytes) {
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
        if (head.contentLength() > maxBytes) {
            throw new TooLargeException(head.contentLength(), maxBytes);
        }
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    @Override
    public void write(String key, byte[] content) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    @Override
    public void move(String from, String to) {
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
        s3.deleteObject(r -> r.bucket(bucket).key(from));
    }

    @Override
    public List<String> leftIn(String folder, Instant before, int limit) {
        List<String> keys = new ArrayList<>();
        for (var users : s3.listObjectsV2Paginator(r -> r.bucket(bucket).delimiter("/"))) {
            for (var user : users.commonPrefixes()) {
                for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(user.prefix() + folder + "/")
                        .delimiter("/"))) {
                    for (var object : page.contents()) {
                        if (object.lastModified().isBefore(before)) {
                            keys.add(object.key());
                            if (keys.size() >= limit) {
                                return keys;
                            }
                        }
                    }
                }
            }
        }
        return keys;
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Override
    public List<String> erase(String prefix) {
        Set<String> erased = new LinkedHashSet<>();
        // the bucket keeps versions: every one of them goes, and the markers that hid them
        for (var page : s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(prefix))) {
            for (var version : page.versions()) {
                s3.deleteObject(r -> r.bucket(bucket).key(version.key()).versionId(version.versionId()));
                erased.add(version.key());
            }
            for (var marker : page.deleteMarkers()) {
                s3.deleteObject(r -> r.bucket(bucket).key(marker.key()).versionId(marker.versionId()));
            }
        }
        return List.copyOf(erased);
    }
}
