package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Retention: a closed referral's item expires its program's months after it closed (DynamoDB TTL), an open one
 * never; the local sweep deletes what expired, as AWS would, and raw payloads past the archive's retention.
 */
class RetentionIT {

    @TempDir
    Path data;

    @Test
    void aClosedReferralIsForgottenTwoYearsAfterItClosedAndAnOpenOneIsKept() throws Exception {
        String table = "referrals-" + UUID.randomUUID();
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName(table))) {
            HubClient http = new HubClient(hub.baseUrl());
            String key = LocalHub.demoKeys().get("cics");
            String sample = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8);
            String open = http.postJson(key, sample.replace("CICS-2026-0001", "RET-" + UUID.randomUUID()))
                    .body().get("referralId").asText();
            // English at CLB 2: not eligible, so rejected — closed at once
            String closed = http.postJson(key, sample.replace("CICS-2026-0001", "RET-" + UUID.randomUUID())
                    .replace("\"englishLevel\": 8", "\"englishLevel\": 2")).body().get("referralId").asText();
            assertThat(http.get("/v1/referrals/" + closed, key).body().get("status").asText()).isEqualTo("rejected");

            Instant expires = Instant.ofEpochSecond(Long.parseLong(item(hub, table, closed).get("expiresAt").n()));
            Instant expected = Instant.now().atZone(ZoneOffset.UTC).plusMonths(24).toInstant();
            assertThat(Math.abs(ChronoUnit.MINUTES.between(expires, expected))).isLessThan(5);
            assertThat(item(hub, table, open)).doesNotContainKey("expiresAt");

            // two years and a day later, the local sweep does what TTL and the S3 lifecycle rule do in AWS
            Path archived = Files.walk(data.resolve("archive")).filter(Files::isRegularFile).findFirst().orElseThrow();
            Files.setLastModifiedTime(archived, FileTime.from(Instant.now().minus(LocalHub.ARCHIVE_RETENTION).minusSeconds(60)));
            Clock later = Clock.fixed(expected.plus(1, ChronoUnit.DAYS), ZoneOffset.UTC);
            Path leftMail = data.resolve("mail/inbound/left-" + UUID.randomUUID() + ".eml");
            Files.createDirectories(leftMail.getParent());
            Files.writeString(leftMail, "Subject: too large to take\r\n\r\n...");
            Files.setLastModifiedTime(leftMail, FileTime.from(Instant.now().minus(LocalHub.MAIL_DROP_RETENTION).minusSeconds(60)));
            int[] deleted = new LocalRetentionSweep(hub.hub().dynamo(), table, Map.of(data.resolve("archive"),
                    LocalHub.ARCHIVE_RETENTION, data.resolve("mail"), LocalHub.MAIL_DROP_RETENTION), later).run();
            assertThat(leftMail).as("mail left in the mail drop goes after 30 days").doesNotExist();
            assertThat(deleted[0]).isPositive();
            assertThat(item(hub, table, closed)).isEmpty();
            assertThat(item(hub, table, open)).isNotEmpty();
            assertThat(archived).doesNotExist();
        }
    }

    private static Map<String, AttributeValue> item(LocalHub hub, String table, String referralId) {
        return hub.hub().dynamo().getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS("REFERRAL#" + referralId), "sk", AttributeValue.fromS("REFERRAL")))).item();
    }
}
