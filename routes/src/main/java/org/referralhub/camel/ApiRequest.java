package org.referralhub.camel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.referralhub.outcome.StatusUpdate;

/**
 * An HTTP request as the hub's API routes see it, whichever gateway it came through.
 *
 * @param headers header names in lower case, as API Gateway HTTP APIs deliver them
 */
public record ApiRequest(String method, String path, Map<String, String> pathParameters, Map<String, String> headers,
                         byte[] body, String requestId, String sourceIp, Map<String, String> query) {

    /** The exchange property that keeps the request while the body changes along a route. */
    public static final String PROPERTY = "apiRequest";
    /** The exchange property with the receipt id of the archived payload, once the request's body is archived. */
    public static final String RECEIPT_ID = "receiptId";

    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        Map<String, String> lower = new HashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        }
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body;
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    public ApiRequest(String method, String path, Map<String, String> pathParameters, Map<String, String> headers,
                      byte[] body, String requestId, String sourceIp) {
        this(method, path, pathParameters, headers, body, requestId, sourceIp, null);
    }

    /** A query-string parameter, or null. */
    public String query(String name) {
        return query.get(name);
    }

    /** A query-string parameter read as {@link #date(String)}, or null when absent. */
    public Instant dateQuery(String name) {
        return query(name) == null ? null : date(query(name));
    }

    /** An ISO instant, or a date (the start of that day, UTC), or null; a 400 for anything else. */
    public static Instant date(String text) {
        try {
            return StatusUpdate.date(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "malformed", "Malformed date",
                    "date is an ISO-8601 date (2026-11-23) or instant (2026-11-23T14:00:00Z).");
        }
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The same request with an {@code Authorization: Bearer} token read as the {@code X-Api-Key} it is (a FHIR
     * client sends its key so); unchanged when it has an X-Api-Key or no bearer token.
     */
    public ApiRequest bearerAsApiKey() {
        String authorization = header("authorization");
        if (header("x-api-key") != null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return this;
        }
        Map<String, String> withKey = new HashMap<>(headers);
        withKey.put("x-api-key", authorization.substring(7).trim());
        return new ApiRequest(method, path, pathParameters, withKey, body, requestId, sourceIp, query);
    }

    /** The exchange's request (its body) with a bearer token read as its API key: the FHIR door's first step. */
    public static void bearerAsKey(Exchange exchange) throws InvalidPayloadException {
        exchange.getMessage().setBody(exchange.getMessage().getMandatoryBody(ApiRequest.class).bearerAsApiKey());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
