package org.referralhub.camel.intake;

import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.email.EmailImport;
import org.referralhub.email.MailboxPull;

/**
 * The e-mail channel, inbound: a message stored in the mail drop (by SES's receipt rule in AWS, by the local SMTP
 * server locally) is imported. Body: its key; answer: {@link EmailImport.Outcome}. A failure propagates so the
 * trigger retries.
 */
public final class EmailIntakeRoutes extends RouteBuilder {

    private final EmailImport email;
    private final MailboxPull mailboxes;

    public EmailIntakeRoutes(EmailImport email, MailboxPull mailboxes) {
        this.email = email;
        this.mailboxes = mailboxes;
    }

    @Override
    public void configure() {
        // a message another reader holds is the trigger's to retry, as every failure here: not an error to log
        onException(EmailImport.InProgressElsewhere.class).logExhausted(false).logStackTrace(false)
                .logExhaustedMessageHistory(false);

        from(Endpoints.EMAIL_INTAKE).routeId("email-intake")
                .process(e -> e.getMessage().setBody(email.run(e.getMessage().getMandatoryBody(String.class))));

        from(Endpoints.MAILBOX_PULL).routeId("mailbox-pull")
                .process(e -> e.getMessage().setBody(mailboxes.pullAll()));
    }
}
