package org.referralhub.archive;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The archive in AWS: one object per payload in the raw-archive bucket. */
public final class S3RawArchive implements RawArchive {

    private final S3Client s3;
    private final String bucket;

    public S3RawArchive(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String store(RawPayload payload) {
        s3.putObject(r -> r.bucket(bucket).key(payload.key())
                        .contentType(payload.contentType() == null ? "application/octet-stream" : payload.contentType())
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .metadata(Map.of("channel", payload.channel().code(), "receipt-id", payload.id())),
                RequestBody.fromBytes(payload.body()));
        return "s3://" + bucket + "/" + payload.key();
    }

    @Override
    public byte[] read(String reference) {
        URI uri = URI.create(reference);
        if (!"s3".equals(uri.getScheme()) || !bucket.equals(uri.getHost())) {
            throw new IllegalArgumentException("reference is not in this archive");
        }
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(uri.getPath().substring(1))).asByteArray();
    }

    @Override
    public boolean erase(String reference) {
        String whole = reference.contains("#") ? reference.substring(0, reference.indexOf('#')) : reference;
        URI uri = URI.create(whole);
        if (!"s3".equals(uri.getScheme()) || !bucket.equals(uri.getHost())) {
            throw new IllegalArgumentException("reference is not in this archive");
        }
        String key = uri.getPath().substring(1);
        boolean found = false;
        // the bucket keeps versions: every one of them goes
        for (var page : s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(key))) {
            for (var version : page.versions()) {
                if (version.key().equals(key)) {
                    s3.deleteObject(r -> r.bucket(bucket).key(key).versionId(version.versionId()));
                    found = true;
                }
            }
            for (var marker : page.deleteMarkers()) {
                if (marker.key().equals(key)) {
                    s3.deleteObject(r -> r.bucket(bucket).key(key).versionId(marker.versionId()));
                }
            }
        }
        return found;
    }

    @Override
    public void checkAvailable() {
        s3.headBucket(r -> r.bucket(bucket));
    }
}
