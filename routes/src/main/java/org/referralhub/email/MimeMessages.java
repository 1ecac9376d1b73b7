package org.referralhub.email;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;

/**
 * A message the hub sends, as MIME — the same bytes whether SMTP or SES's API carries it. The hub's own id goes in
 * {@code Message-ID} and, because SES replaces {@code Message-ID} with its own, in {@code X-Referral-Hub-Id} too:
 * the id a partner or agency keeps to recognise a repeat, on every transport.
 */
final class MimeMessages {

    /** The header that carries the hub's message id whatever the transport does to {@code Message-ID}. */
    static final String HUB_ID = "X-Referral-Hub-Id";

    private MimeMessages() {
    }

    static MimeMessage of(OutboundEmail email, Session session) throws MessagingException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                if (email.messageId() != null) {
                    setHeader("Message-ID", email.messageId());
                } else {
                    super.updateMessageID();
                }
            }
        };
        message.setFrom(new InternetAddress(email.from()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to()));
        message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
        if (email.attachment() == null) {
            message.setText(email.text(), StandardCharsets.UTF_8.name());
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(email.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart file = new MimeBodyPart();
            file.setContent(email.attachment(), "text/csv; charset=UTF-8");
            file.setFileName(email.attachmentName());
            file.setDisposition(Part.ATTACHMENT);
            mixed.addBodyPart(text);
            mixed.addBodyPart(file);
            message.setContent(mixed);
        }
        if (email.inReplyTo() != null) {
            message.setHeader("In-Reply-To", email.inReplyTo());
            message.setHeader("References", email.references() == null ? email.inReplyTo()
                    : email.references() + " " + email.inReplyTo());
        }
        if (email.messageId() != null) {
            message.setHeader(HUB_ID, email.messageId());
        }
        message.setHeader("Auto-Submitted", email.inReplyTo() != null ? "auto-replied" : "auto-generated");
        message.saveChanges();
        return message;
    }
}
