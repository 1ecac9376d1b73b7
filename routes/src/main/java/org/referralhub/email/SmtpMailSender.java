package org.referralhub.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * SMTP with Jakarta Mail: the local hub's own SMTP server, or any SMTP relay an operator names. (In AWS the hub sends
 * through SES's API instead: {@link SesMailSender}.) The Message-ID is the hub's, kept on every retry.
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
            MimeMessage message = MimeMessages.of(email, session);
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
