package org.referralhub.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.referralhub.referral.Channel;

/**
 * An inbound payload exactly as it arrived, before any parsing: what the archive keeps.
 *
 * @param id       unique id of this receipt (a ULID)
 * @param agencyId the sender, when known
 */
public record RawPayload(String id, Channel channel, String agencyId, Instant receivedAt, String contentType,
                         byte[] body) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    /** The archive key: {@code raw/<channel>/<agency>/<yyyy>/<MM>/<dd>/<id>.<ext>}. */
    public String key() {
        String agency = agencyId == null ? "_unidentified" : agencyId;
        return "raw/" + channel.code() + "/" + agency + "/" + DAY.format(receivedAt) + "/" + id + "." + extension();
    }

    private String extension() {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            return "json";
        }
        if (type.contains("csv")) {
            return "csv";
        }
        if (type.contains("spreadsheetml")) {
            return "xlsx";
        }
        if (type.contains("rfc822")) {
            return "eml";
        }
        if (type.startsWith("text/")) {
            return "txt";
        }
        return "bin";
    }
}
