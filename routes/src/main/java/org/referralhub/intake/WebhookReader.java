package org.referralhub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.referralhub.config.Agency;

/** The webhook's reading: one JSON object, through the agency's webhook mapping, as one draft. */
public final class WebhookReader implements ChannelReader {

    private final ReferralIntake intake;

    public WebhookReader(ReferralIntake intake) {
        this.intake = intake;
    }

    @Override
    public void read(Agency agency, String name, byte[] bytes, Found found) {
        JsonNode payload;
        try {
            payload = WebhookPayload.read(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the input; say only where it broke.
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new Unreadable("The body is not valid JSON" + where + ".");
        } catch (IOException e) {
            throw new Unreadable("The body could not be read as JSON.");
        }
        if (payload == null || !payload.isObject()) {
            throw new Unreadable("The body must be one JSON object.");
        }
        found.draft(new Labelled("the payload", null, intake.draft(agency.webhookMapping(), payload)));
    }
}
