package org.referralhub.files;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import org.referralhub.referral.CanonicalJson;

/** A JSON array of referral objects, or JSON Lines (one object per line), read one object at a time. */
final class JsonReferralReader extends LookaheadReader {

    private static final ObjectMapper MAPPER = CanonicalJson.MAPPER.copy();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(64 * 1024).maxNumberLength(32).build());
    }

    private final JsonParser parser;
    private final boolean lines;
    private final FileLimits limits;
    private int row;

    JsonReferralReader(InputStream in, boolean lines, FileLimits limits) throws IOException {
        this.parser = MAPPER.createParser(in);
        this.lines = lines;
        this.limits = limits;
        try {
            if (!lines && parser.nextToken() != JsonToken.START_ARRAY) {
                throw new UnreadableFileException("the file is not a JSON array of referrals");
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableFileException("the file is not valid JSON" + where(e));
        }
    }

    @Override
    public String format() {
        return lines ? "jsonl" : "json";
    }

    @Override
    protected FileRow readNext() {
        try {
            JsonToken token = parser.nextToken();
            if (token == null || token == JsonToken.END_ARRAY) {
                return null;
            }
            row++;
            if (row > limits.maxRows()) {
                throw new UnreadableFileException("the file has more than " + limits.maxRows() + " records");
            }
            JsonNode node = MAPPER.readTree(parser);
            if (!(node instanceof ObjectNode object)) {
                throw new UnreadableFileException("record " + row + " is not a JSON object");
            }
            if (object.size() > limits.maxColumns()) {
                throw new UnreadableFileException("record " + row + " has more than " + limits.maxColumns() + " keys");
            }
            return new FileRow(row, object);
        } catch (JsonProcessingException e) {
            throw new UnreadableFileException("the file stops being valid JSON at record " + row + where(e));
        } catch (IOException e) {
            throw new UnreadableFileException("the file cannot be read past record " + row);
        }
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // abandoning the file
        }
    }
}
