package org.referralhub.camel;

import java.util.LinkedHashMap;
import java.util.Map;
import org.referralhub.referral.CanonicalJson;

/** An HTTP response from the hub's API routes; the gateway adapter turns it into its own response type. */
public record ApiReply(int status, Map<String, String> headers, String body) {

    public static ApiReply json(int status, Object value) {
        return new ApiReply(status, Map.of("Content-Type", "application/json"), CanonicalJson.write(value));
    }

    public ApiReply withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiReply(status, all, body);
    }
}
