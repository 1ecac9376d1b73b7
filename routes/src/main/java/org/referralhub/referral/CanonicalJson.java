package org.referralhub.referral;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one Jackson configuration for canonical JSON: ISO-8601 dates, unknown fields tolerated on read. */
public final class CanonicalJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private static final ObjectReader REFERRAL_READER = MAPPER.readerFor(Referral.class);
    private static final ObjectWriter WRITER = MAPPER.writer();

    private CanonicalJson() {
    }

    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static Referral readReferral(String json) {
        try {
            return REFERRAL_READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored referral is not canonical JSON", e);
        }
    }

    /** A stored value of the hub's own (a notice, say), read back. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("stored " + type.getSimpleName() + " does not read", e);
        }
    }
}
