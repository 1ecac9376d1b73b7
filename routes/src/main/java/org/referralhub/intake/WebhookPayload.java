package org.referralhub.intake;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import org.referralhub.referral.CanonicalJson;

/** A webhook body as the hub reads it: JSON with bounded nesting, string and number sizes. */
public final class WebhookPayload {

    private static final ObjectReader READER;

    static {
        ObjectMapper mapper = CanonicalJson.MAPPER.copy();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(64 * 1024).maxNumberLength(32).build());
        READER = mapper.readerFor(JsonNode.class);
    }

    private WebhookPayload() {
    }

    /** The body's JSON; Jackson's exceptions (which say where the JSON broke) for anything else. */
    public static JsonNode read(byte[] body) throws IOException {
        return READER.readValue(body);
    }
}
