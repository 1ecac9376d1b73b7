package org.referralhub.email;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.delivery.SecretStore;
import org.referralhub.files.FileDropStore;
import org.referralhub.store.DynamoDbIdempotentRepository;
import org.referralhub.store.IdempotencyRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E-mail pull mode: for each agency with a {@code mailbox}, reads unseen messages over IMAP without marking them
 * (peek), claims each by Message-ID in DynamoDB (so two pollers, or a poller after a restart, never process one
 * twice), hands it to the same {@link EmailImport} as received mail, and marks it seen only when that is done.
 */
public final class MailboxPull {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxPull.class);
    private static final int MAX_MESSAGES = 50;

    private final ConfigurationSource config;
    private final EmailImport email;
    private final FileDropStore mailDrop;
    private final SecretStore secrets;
    private final IdempotencyRecords records;
    private final Clock clock;

    public MailboxPull(ConfigurationSource config, EmailImport email, FileDropStore mailDrop, SecretStore secrets,
                       IdempotencyRecords records, Clock clock) {
        this.config = config;
        this.email = email;
        this.mailDrop = mailDrop;
        this.secrets = secrets;
        this.records = records;
        this.clock = clock;
    }

    public List<EmailImport.Outcome> pullAll() {
        List<EmailImport.Outcome> outcomes = new ArrayList<>();
        for (Agency agency : config.current().agencies()) {
            if (agency.mailbox() != null) {
                try {
                    outcomes.addAll(pull(agency));
                } catch (MessagingException | IOException e) {
                    LOG.warn("mailbox of agency {} could not be read: {}", agency.id(), e.getClass().getSimpleName());
                }
            }
        }
        return outcomes;
    }

    private List<EmailImport.Outcome> pull(Agency agency) throws MessagingException, IOException {
        Agency.Mailbox box = agency.mailbox();
        String protocol = box.ssl() ? "imaps" : "imap";
        Properties properties = new Properties();
        properties.setProperty("mail." + protocol + ".host", box.host());
        properties.setProperty("mail." + protocol + ".port", Integer.toString(box.port() == null ? (box.ssl() ? 993 : 143) : box.port()));
        properties.setProperty("mail." + protocol + ".peek", "true");
        properties.setProperty("mail." + protocol + ".connectiontimeout", "5000");
        properties.setProperty("mail." + protocol + ".timeout", "15000");
        DynamoDbIdempotentRepository seen = new DynamoDbIdempotentRepository(records, "imap:" + agency.id(),
                Duration.ofMinutes(10), Duration.ofDays(400), clock);
        List<EmailImport.Outcome> outcomes = new ArrayList<>();
        Store store = Session.getInstance(properties).getStore(protocol);
        store.connect(box.username(), new String(secrets.get(box.passwordRef()), StandardCharsets.UTF_8));
        try {
            Folder folder = store.getFolder(box.folder() == null ? "INBOX" : box.folder());
            folder.open(Folder.READ_WRITE);
            try {
                Message[] unseen = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                for (int i = 0; i < unseen.length && i < MAX_MESSAGES; i++) {
                    MimeMessage message = (MimeMessage) unseen[i];
                    String id = message.getMessageID() == null ? "no-id-" + message.getReceivedDate() : message.getMessageID();
                    if (!seen.add(id)) {
                        message.setFlag(Flags.Flag.SEEN, true);
                        continue;
                    }
                    try {
                        ByteArrayOutputStream raw = new ByteArrayOutputStream();
                        message.writeTo(raw);
                        String key = "imap/" + agency.id() + "-" + UUID.randomUUID() + ".eml";
                        mailDrop.write(key, raw.toByteArray());
                        outcomes.add(email.run(key));
                        message.setFlag(Flags.Flag.SEEN, true);
                        seen.confirm(id);
                    } catch (RuntimeException | IOException e) {
                        seen.remove(id);
                        LOG.warn("a message in the mailbox of agency {} failed and stays unseen: {}", agency.id(),
                                e.getClass().getSimpleName());
                    }
                }
            } finally {
                folder.close(false);
            }
        } finally {
            store.close();
        }
        return outcomes;
    }
}
