package org.referralhub.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.referralhub.files.FileDropStore;
import org.referralhub.functions.EmailIntakeFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for SES receiving and for everyone's mailboxes: a real SMTP server (and IMAP, to read mail)
 * from GreenMail. A message to the hub's address is stored raw in the mail drop, as SES's receipt rule stores it in
 * S3, and the same S3 event goes to the same {@link EmailIntakeFunction}. Every other message — the hub's replies to
 * coaches, later partner deliveries — lands in its recipient's mailbox, readable over IMAP (login and password: the
 * address).
 */
final class LocalMailServer implements AutoCloseable {

    static final String BUCKET = "local-mail-drop";
    private static final Logger LOG = LoggerFactory.getLogger(LocalMailServer.class);

    private final GreenMail mail;
    /** Messages are read four at a time, as several Lambda instances would read SES's S3 events. */
    private final ExecutorService intake = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "local-email-intake");
        t.setDaemon(true);
        return t;
    });

    LocalMailServer(String bindAddress, int smtpPort, int imapPort, String hubAddress, FileDropStore mailDrop,
                    EmailIntakeFunction handler) {
        mail = new GreenMail(new ServerSetup[]{
                new ServerSetup(smtpPort, bindAddress, ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, bindAddress, ServerSetup.PROTOCOL_IMAP)});
        try {
            mail.start();
        } catch (RuntimeException e) {
            mail.stop(); // one of the two servers may be up: let go of it too
            throw e;
        }
        var users = mail.getUserManager();
        MessageDeliveryHandler mailboxes = users.getMessageDeliveryHandler();
        String hub = hubAddress.toLowerCase(Locale.ROOT);
        users.setMessageDeliveryHandler((message, address) -> {
            if (address.getEmail().toLowerCase(Locale.ROOT).equals(hub)) {
                try {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    message.getMessage().writeTo(raw);
                    String key = "inbound/" + UUID.randomUUID() + ".eml";
                    mailDrop.write(key, raw.toByteArray());
                    intake.submit(() -> {
                        // like Lambda's asynchronous invocation: two more tries after a failure
                        for (int attempt = 1; attempt <= 3; attempt++) {
                            try {
                                handler.handleRequest(event(key), new LocalLambdaContext("email-intake"));
                                return;
                            } catch (RuntimeException e) {
                                LOG.warn("e-mail intake failed (try {} of 3): {}", attempt, e.getClass().getSimpleName());
                                try {
                                    Thread.sleep(1000L * attempt);
                                } catch (InterruptedException stop) {
                                    Thread.currentThread().interrupt();
                                    return;
                                }
                            }
                        }
                    });
                } catch (IOException e) {
                    throw new MessagingException("cannot store the message", e);
                }
            }
            return mailboxes.handle(message, address);
        });
    }

    /** A mailbox on this server (an agency's own, read by the hub over IMAP). */
    void mailbox(String address, String password) {
        mail.setUser(address, address, password);
    }

    int smtpPort() {
        return mail.getSmtp().getPort();
    }

    int imapPort() {
        return mail.getImap().getPort();
    }

    GreenMail greenMail() {
        return mail;
    }

    private static S3Event event(String key) {
        return ObjectCreatedEvent.of(BUCKET, key, 0L, "ses.amazonaws.com");
    }

    @Override
    public void close() {
        intake.shutdown();
        try {
            if (!intake.awaitTermination(30, TimeUnit.SECONDS)) {
                // messages still waiting stay in the mail drop, unread, as after a crash
                intake.shutdownNow();
            }
        } catch (InterruptedException e) {
            intake.shutdownNow();
            Thread.currentThread().interrupt();
        }
        mail.stop();
    }
}
