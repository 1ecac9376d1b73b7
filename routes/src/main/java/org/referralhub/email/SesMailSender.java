package org.referralhub.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Properties;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/**
 * Mail sent through SES's v2 API ({@code SendEmail} with the raw MIME message) under the function's own role: no SMTP
 * user, no password to keep or rotate. SES puts its own {@code Message-ID} on the message; the hub's id travels in
 * {@code X-Referral-Hub-Id} (see {@link MimeMessages}).
 */
public final class SesMailSender implements MailSender {

    private final Supplier<SesV2Client> client;
    private final Session session = Session.getInstance(new Properties());
    private SesV2Client ses;

    /** @param client made at the first message, so a function that sends none never builds it */
    public SesMailSender(Supplier<SesV2Client> client) {
        this.client = client;
    }

    private synchronized SesV2Client ses() {
        if (ses == null) {
            ses = client.get();
        }
        return ses;
    }

    @Override
    public void send(OutboundEmail email) {
        byte[] raw;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MimeMessages.of(email, session).writeTo(out);
            raw = out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("the message could not be written (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            ses().sendEmail(r -> r.content(c -> c.raw(m -> m.data(SdkBytes.fromByteArray(raw)))));
        } catch (SesV2Exception e) {
            // the error's code only: SES's message may quote an address
            throw new IllegalStateException("SES did not take the message ("
                    + (e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode()) + ")", e);
        }
    }
}
