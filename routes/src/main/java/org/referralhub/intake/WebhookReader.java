package org.referralhub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.referralhub.config.Agency;

/** The webhook's reading: one JSON object, through the agency's webhook mapping, as one draft. */
public final class WebhookReader implements ChannelReader {

    /** Jackson's words for a key met twice, with the key: a structural name, said back (at most 64 characters). */
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([^'\\n]{1,64})'");

    private final ReferralIntake intake;

    public WebhookReader(ReferralIntake intake) {
        this.intake = intake;
    }

    @Override
    public void read(Agency agency, String name, byte[] bytes, Found found) {
        JsonNode payload = json(bytes);
        if (payload == null || !payload.isObject()) {
            throw new Unreadable("The body must be one JSON object.");
        }
        found.draft(new Labelled("the payload", null, intake.draft(agency.webhookMapping(), payload, agency.dateOrder())));
    }

    /**
     * A body's one JSON value ({@link WebhookPayload}'s reading).
     *
     * @throws Unreadable saying what broke and where, never quoting the input
     */
    public static JsonNode json(byte[] bytes) {
        try {
            return WebhookPayload.read(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the input; say only what broke, and where
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            Matcher twice = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            if (twice.find()) {
                throw new Unreadable("The body names '" + twice.group(1) + "' more than once in one object" + where
                        + ": which value counts cannot be told. Send each key once.");
            }
            if (String.valueOf(e.getOriginalMessage()).startsWith("Invalid UTF-8")) {
                throw new Unreadable("The body is not UTF-8 text" + where + ": send the JSON encoded as UTF-8.");
            }
            if (e instanceof WebhookPayload.TrailingContent) {
                throw new Unreadable("The body has more after the JSON object" + where
                        + ": send one JSON object, and nothing after it.");
            }
            throw new Unreadable("The body is not valid JSON" + where + ".");
        } catch (IOException e) {
            throw new Unreadable("The body could not be read as JSON.");
        }
    }
}
