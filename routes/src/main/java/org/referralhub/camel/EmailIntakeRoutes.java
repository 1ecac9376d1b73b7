package org.referralhub.camel;

import org.apache.camel.builder.RouteBuilder;
import org.referralhub.email.EmailImport;

/**
 * The e-mail channel, inbound: a message stored in the mail drop (by SES's receipt rule in AWS, by the local SMTP
 * server locally) is imported. Body: its key; answer: {@link EmailImport.Outcome}. A failure propagates so the
 * trigger retries.
 */
public final class EmailIntakeRoutes extends RouteBuilder {

    private final EmailImport email;

    public EmailIntakeRoutes(EmailImport email) {
        this.email = email;
    }

    @Override
    public void configure() {
        from(Endpoints.EMAIL_INTAKE).routeId("email-intake")
                .process(e -> e.getMessage().setBody(email.run(e.getMessage().getMandatoryBody(String.class))));
    }
}
