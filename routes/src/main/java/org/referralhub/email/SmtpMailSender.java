package org.referralhub.email;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * SMTP with Jakarta Mail: the local hub's own SMTP server, or SES's SMTP endpoint (STARTTLS, SMTP credentials) in
 * AWS. The Message-ID is the hub's, kept on every retry.
 */
public final class SmtpMailSender implements MailSender {

    private final Session session;
    private final String username;
    private final Supplier<String> password;

    /** @param password read when the first message is sent, so a function that never sends mail never fetches it */
    public SmtpMailSender(String host, int port, boolean startTls, String username,
                          Supplier<String> password) {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", host);
        properties.setProperty("mail.smtp.port", Integer.toString(port));
        properties.setProperty("mail.smtp.connectiontimeout", "5000");
        properties.setProperty("mail.smtp.timeout", "15000");
        if (startTls) {
            properties.setProperty("mail.smtp.starttls.enable", "true");
            properties.setProperty("mail.smtp.starttls.required", "true");
        }
        if (username != null) {
            properties.setProperty("mail.smtp.auth", "true");
        }
        this.session = Session.getInstance(properties);
        this.username = username;
        this.password = password;
    }

    @Override
    public void send(OutboundEmail email) {
        try {
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
            message.setHeader("Auto-Submitted", email.inReplyTo() != null ? "auto-replied" : "auto-generated");
            if (username == null) {
                Transport.send(message);
            } else {
                Transport.send(message, username, password.get());
            }
        } catch (MessagingException e) {
            throw new IllegalStateException("the mail server did not take the message ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }
}
