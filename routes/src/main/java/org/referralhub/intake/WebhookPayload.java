package org.referralhub.intake;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.referralhub.referral.CanonicalJson;

/**
 * A webhook body as the hub reads it: one JSON value and nothing after it, no key twice in one object, with bounded
 * nesting, string and number sizes.
 */
public final class WebhookPayload {

    private static final ObjectMapper MAPPER;

    static {
        MAPPER = CanonicalJson.MAPPER.copy();
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(64 * 1024).maxNumberLength(32).build());
        // a key twice in one object: which value would count cannot be told
        MAPPER.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private WebhookPayload() {
    }

    /** Content after the body's first JSON value (a second object, stray text): where it starts. */
    public static final class TrailingContent extends JsonProcessingException {
        TrailingContent(JsonLocation where) {
            super("content after the JSON value", where);
        }
    }

    /**
     * The body's JSON value; Jackson's exceptions (which say where the JSON broke) for anything else, and
     * {@link TrailingContent} when anything but white space follows it.
     */
    public static JsonNode read(byte[] body) throws IOException {
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode value = MAPPER.readValue(parser, JsonNode.class);
            JsonLocation end = parser.currentLocation();
            try {
                if (parser.nextToken() != null) {
                    throw new TrailingContent(parser.currentTokenLocation());
                }
            } catch (TrailingContent trailing) {
                throw trailing;
            } catch (JsonProcessingException unreadable) {
                throw new TrailingContent(end);
            }
            return value;
        }
    }
}
