package org.referralhub.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.referralhub.archive.RawArchive;
import org.referralhub.archive.RawPayload;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.files.FileDropStore;
import org.referralhub.files.FileLimits;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.FieldError;
import org.referralhub.intake.InvalidReferralException;
import org.referralhub.intake.NotRead;
import org.referralhub.intake.ReferralDraft;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.Sha256;
import org.referralhub.store.IdempotencyRecords;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One received e-mail, from the mail drop to the reply: archived raw first; quarantined (kept, not processed, listed)
 * when it cannot be read, is over the limits, fails SES's spam or virus check, or comes from a sender no agency
 * allows; otherwise every referral in its body forms and its CSV/XLSX/JSON attachments is mapped, validated,
 * screened, routed and stored, and the sender gets a reply threaded on the message: the referral ids, or what is
 * missing or wrong — never client data beyond what the sender wrote.
 */
public final class EmailImport {

    private static final Logger LOG = LoggerFactory.getLogger(EmailImport.class);

    private final ConfigurationSource config;
    private final ReferralIntake intake;
    private final ReferralStore store;
    private final RawArchive archive;
    private final FileDropStore mailDrop;
    private final MailSender mail;
    private final String hubAddress;
    private final Clock clock;
    private final long maxMessageBytes;
    private final int maxAttachments;
    private final MessageReader reader;
    private final IdempotencyRecords records;

    private static final String SCOPE = "email";
    /** The object SES puts where a receipt rule stores mail, once, when the rule is made. */
    static final String SES_SETUP_NOTICE = "AMAZON_SES_SETUP_NOTIFICATION";
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration REMEMBER = Duration.ofDays(30);

    public EmailImport(ConfigurationSource config, ReferralIntake intake, ReferralStore store, RawArchive archive,
                       FileDropStore mailDrop, MailSender mail, String hubAddress, Clock clock, long maxMessageBytes,
                       int maxAttachments, IdempotencyRecords records) {
        this.records = records;
        this.config = config;
        this.intake = intake;
        this.store = store;
        this.archive = archive;
        this.mailDrop = mailDrop;
        this.mail = mail;
        this.hubAddress = hubAddress;
        this.clock = clock;
        this.maxMessageBytes = maxMessageBytes;
        this.maxAttachments = maxAttachments;
        this.reader = new MessageReader(intake, maxAttachments);
    }

    /** What became of one message. */
    public record Outcome(String receiptId, String disposition, String agencyId, List<String> referralIds,
                          int rejected, String reason) {
    }

    public Outcome run(String key) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String receiptId = ReferralIds.newId(now);
        if (key.equals(SES_SETUP_NOTICE) || key.endsWith("/" + SES_SETUP_NOTICE)) {
            // SES writes this object when the receipt rule is made, to prove it may write to the bucket: not mail
            LOG.info("SES's set-up notice {} in the mail drop: not mail, removed", key);
            mailDrop.erase(key);
            return new Outcome(receiptId, "ses-setup-notice", null, List.of(), 0, null);
        }
        byte[] raw;
        if (!mailDrop.exists(key)) {
            // taken and deleted by an earlier delivery of the same event: the archive holds it
            LOG.info("e-mail {} is no longer in the mail drop: processed before", receiptId);
            return new Outcome(receiptId, "processed-before", null, List.of(), 0, null);
        }
        try {
            raw = mailDrop.read(key, maxMessageBytes);
        } catch (FileDropStore.TooLargeException e) {
            return quarantine(receiptId, null, "too-large", e.getMessage(), "mail-drop:" + key, now);
        }
        // one message, one processing: a repeated S3 event, a message delivered or fetched twice, a reader that died
        String hash = messageKey(raw);
        IdempotencyRecords.Claim claim = records.begin(SCOPE, hash, receiptId, now, LEASE, REMEMBER);
        if (claim instanceof IdempotencyRecords.Completed done) {
            LOG.info("e-mail {} was processed before as {}; answered, not processed again", receiptId, done.owner());
            leaveMailDrop(key, done.owner());
            return done.result() == null ? new Outcome(done.owner(), "processed-before", null, List.of(), 0, null)
                    : CanonicalJson.read(done.result(), Outcome.class);
        }
        if (claim instanceof IdempotencyRecords.InProgress busy) {
            throw new InProgressElsewhere("e-mail " + busy.owner() + " is being processed; try again after "
                    + busy.until());
        }
        IdempotencyRecords.Started started = (IdempotencyRecords.Started) claim;
        try {
            String rawRef = archive.store(new RawPayload(started.owner(), Channel.EMAIL, null, started.startedAt(),
                    "message/rfc822", raw));
            Outcome outcome = process(raw, started.owner(), rawRef, started.startedAt());
            records.complete(SCOPE, hash, started.owner(), CanonicalJson.write(outcome), clock.instant(), REMEMBER);
            leaveMailDrop(key, started.owner());
            return outcome;
        } catch (RuntimeException e) {
            records.release(SCOPE, hash, started.owner());
            throw e;
        }
    }

    /**
     * The archive keeps the message; the mail drop's copy, read and answered, goes — one copy fewer of a client's data
     * to keep and to erase. A copy that could not go now goes when the same event comes again, or with the bucket's
     * lifecycle.
     */
    private void leaveMailDrop(String key, String receiptId) {
        try {
            mailDrop.erase(key);
        } catch (RuntimeException e) {
            LOG.warn("e-mail {} stays in the mail drop for now ({})", receiptId, e.getClass().getSimpleName());
        }
    }

    /**
     * What makes a message the same message: its Message-ID and From as the mail service authenticated them, and its
     * body (a copy delivered twice carries other Received headers, so its whole bytes differ); without a Message-ID,
     * its bytes. A forged copy of a real message's headers is therefore another message — quarantined on its own,
     * never able to claim the real one's place.
     */
    static String messageKey(byte[] raw) {
        try {
            var headers = new InternetHeaders(new ByteArrayInputStream(raw));
            String id = headers.getHeader("Message-ID", null);
            if (id != null && !id.isBlank()) {
                String from = headers.getHeader("From", null);
                StringBuilder key = new StringBuilder("message-id:").append(id.trim()).append("|from:")
                        .append(from == null ? "" : from.trim().toLowerCase(Locale.ROOT));
                for (String checked : new String[]{"Authentication-Results", "X-SES-Spam-Verdict", "X-SES-Virus-Verdict"}) {
                    String value = headers.getHeader(checked, "|");
                    key.append('|').append(checked).append(':').append(value == null ? "" : value.replaceAll("\\s+", " "));
                }
                return key.append("|body:").append(Sha256.hex(body(raw))).toString();
            }
        } catch (MessagingException unreadable) {
            // no headers to go by: the bytes are the message
        }
        return "sha256:" + Sha256.hex(raw);
    }

    /** The bytes after the header block (the first empty line). */
    private static byte[] body(byte[] raw) {
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] == '\n' && (raw[i + 1] == '\n' || raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n')) {
                int start = raw[i + 1] == '\n' ? i + 2 : i + 3;
                return Arrays.copyOfRange(raw, start, raw.length);
            }
        }
        return new byte[0];
    }

    /** Thrown when another reader holds the same input right now: the sender (S3, the poller) should retry later. */
    public static final class InProgressElsewhere extends RuntimeException {
        public InProgressElsewhere(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A quarantined message run again from its archived copy — once the cause is fixed (its sender allowed, say). It
     * gets a new receipt; the archive copy stays the one it pointed to.
     */
    public Outcome replay(String receiptId, String rawRef) {
        // read under its first receipt and at its first time: each referral in it keeps its id
        return process(archive.read(rawRef), receiptId, rawRef, ReferralIds.timeOf(receiptId));
    }

    private Outcome process(byte[] raw, String receiptId, String rawRef, Instant now) {
        InboundEmail email;
        try {
            email = InboundEmail.parse(raw, maxAttachments, FileLimits.DEFAULT.maxUnzippedBytes());
        } catch (InboundEmail.UnreadableEmailException e) {
            Outcome quarantined = quarantine(receiptId, null, "unreadable", e.getMessage(), rawRef, now);
            answerUnreadable(e, receiptId);
            return quarantined;
        }
        if ("FAIL".equalsIgnoreCase(email.spamVerdict()) || "FAIL".equalsIgnoreCase(email.virusVerdict())) {
            return quarantine(receiptId, null, "failed-checks", "SES marked the message as spam or carrying a virus",
                    rawRef, now);
        }
        if (email.senderUnproven()) {
            return quarantine(receiptId, null, "failed-authentication",
                    "SES's SPF, DKIM and DMARC checks do not vouch for the sender's address", rawRef, now);
        }
        Optional<Agency> agency = config.current().agencyByEmailSender(email.from());
        if (agency.isEmpty()) {
            return quarantine(receiptId, null, "unknown-sender",
                    "no agency allows the sender's address (domain " + domain(email.from()) + ")", rawRef, now);
        }
        return referrals(agency.get(), email, receiptId, rawRef, now);
    }

    private Outcome referrals(Agency agency, InboundEmail email, String receiptId, String rawRef, Instant now) {
        List<String> accepted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> held = new ArrayList<>();
        Set<NotRead> notRead = new LinkedHashSet<>();
        int[] drafts = {0};
        reader.read(agency, email, new ChannelReader.Found() {
            @Override
            public void draft(ChannelReader.Labelled draft) {
                drafts[0]++;
                notRead.addAll(draft.draft().notRead());
                store(agency, draft.draft(), rawRef + "#" + draft.place(), now, draft.where(), accepted, problems, held);
            }

            @Override
            public void problem(String problem) {
                problems.add(problem);
            }
        });
        int found = drafts[0];
        if (found == 0 && problems.isEmpty()) {
            problems.add("no referral was found: write one \"Label: value\" line per field (for example "
                    + "\"First name: ...\", \"Email: ...\", \"Consent: yes\"), or attach a CSV, XLSX or JSON file");
        }
        if (!held.isEmpty()) {
            // listed for administrators: replayed once the mapping reads these labels, the same referrals are read again
            store.quarantine(receiptId, Channel.EMAIL.code(), agency.id(), "held-for-mapping", held.size()
                    + " referral(s) held for the mapping; not read: " + String.join("; ",
                    notRead.stream().map(NotRead::toString).toList()), rawRef, now);
        }
        reply(agency, email, receiptId, accepted, problems, List.copyOf(notRead));
        String disposition = accepted.isEmpty() ? "rejected" : "accepted";
        LOG.info("e-mail {} from agency {}: {} referrals stored, {} problems", receiptId, agency.id(), accepted.size(),
                problems.size());
        return new Outcome(receiptId, disposition, agency.id(), accepted, problems.size(), null);
    }

    private void store(Agency agency, ReferralDraft draft, String rawRef, Instant now, String where,
                       List<String> accepted, List<String> problems, List<String> held) {
        try {
            // the id follows from the receipt and the place in the message: read again, it is the same referral
            Referral referral = intake.assemble(new ReferralIntake.Receipt(ReferralIds.derivedId(now, rawRef), agency,
                    Channel.EMAIL, null, now, rawRef), draft);
            ReferralStore.Stored stored = store.insert(referral, now);
            if (stored.duplicate() && stored.referral().referralId().equals(referral.referralId())
                    && ReferralIntake.rereadable(stored.referral())) {
                // read again (a replay after the agency's mapping was fixed): the referral takes today's reading
                Instant at = clock.instant();
                stored = new ReferralStore.Stored(store.update(referral.referralId(),
                        current -> ReferralIntake.reread(current, referral, at), changed -> List.of())
                        .orElse(stored.referral()), true);
            }
            Referral r = stored.referral();
            if (r.status() == ReferralStatus.ON_HOLD && ReferralIntake.NOT_UNDERSTOOD.equals(r.statusReason())) {
                held.add(r.referralId());
            }
            boolean duplicate = stored.duplicate() && !r.referralId().equals(referral.referralId());
            accepted.add(r.referralId() + (duplicate ? " (already referred; nothing new stored)" : "")
                    + " - " + r.status().code() + (r.statusReason() == null ? "" : " (" + r.statusReason() + ")")
                    + (r.screening() == null || r.screening().reasons().isEmpty() ? ""
                    : ": " + String.join("; ", r.screening().reasons().stream().map(x -> x.message()).toList())));
        } catch (InvalidReferralException invalid) {
            problems.add(where + ": " + describe(invalid.errors()));
        }
    }

    private void reply(Agency agency, InboundEmail email, String receiptId, List<String> accepted, List<String> problems,
                       List<NotRead> notRead) {
        StringBuilder text = new StringBuilder();
        if (!accepted.isEmpty()) {
            text.append("Thank you. The referral hub received ").append(accepted.size())
                    .append(accepted.size() == 1 ? " referral" : " referrals").append(":\n\n");
            accepted.forEach(a -> text.append("  - ").append(a).append('\n'));
            text.append('\n');
        }
        if (!problems.isEmpty()) {
            text.append(accepted.isEmpty() ? "The referral hub could not accept this message:\n\n"
                    : "These could not be accepted:\n\n");
            problems.forEach(p -> text.append("  - ").append(p).append('\n'));
            text.append("\nPlease correct and send again; referrals already received will not be duplicated.\n\n");
        }
        if (!notRead.isEmpty()) {
            text.append("These labels or columns were not read — the agency's mapping does not know them, so what they "
                    + "hold was not used:\n\n");
            notRead.forEach(n -> text.append("  - ").append(n).append('\n'));
            text.append('\n');
        }
        text.append("Receipt: ").append(receiptId).append("\n");
        String subject = email.subject() == null ? "your referral" : email.subject();
        try {
            mail.send(new OutboundEmail(hubAddress, email.from(),
                    (subject.toLowerCase(Locale.ROOT).startsWith("re:") ? "" : "Re: ") + subject, text.toString(),
                    "<reply-" + receiptId + "@" + domain(hubAddress) + ">", email.messageId(), email.references()));
        } catch (RuntimeException e) {
            LOG.warn("reply for e-mail {} of agency {} could not be sent: {}", receiptId, agency.id(), e.getClass().getSimpleName());
        }
    }

    /**
     * A message that cannot be read is answered when its sender is one an agency allows (and not forged, where SES
     * says): what went wrong, and what to send instead. A stranger gets nothing back — no mail to forged addresses.
     */
    private void answerUnreadable(InboundEmail.UnreadableEmailException unreadable, String receiptId) {
        InboundEmail.Envelope envelope = unreadable.envelope();
        if (envelope == null || envelope.senderUnproven()) {
            return;
        }
        Optional<Agency> agency = config.current().agencyByEmailSender(envelope.from());
        if (agency.isEmpty()) {
            return;
        }
        String subject = envelope.subject() == null ? "your referral" : envelope.subject();
        String text = "The referral hub could not read this message: " + unreadable.getMessage() + ".\n\n"
                + "Nothing was stored. Please send it again: one \"Label: value\" line per field in the message itself "
                + "(for example \"First name: ...\", \"Email: ...\", \"Consent: yes\"), or the referrals as one CSV, "
                + "XLSX or JSON file attached (at most " + maxAttachments + " attachments).\n\nReceipt: " + receiptId + "\n";
        try {
            mail.send(new OutboundEmail(hubAddress, envelope.from(),
                    (subject.toLowerCase(Locale.ROOT).startsWith("re:") ? "" : "Re: ") + subject, text,
                    "<reply-" + receiptId + "@" + domain(hubAddress) + ">", envelope.messageId(), envelope.references()));
            LOG.info("e-mail {} of agency {} could not be read; its sender was told", receiptId, agency.get().id());
        } catch (RuntimeException e) {
            LOG.warn("reply for unreadable e-mail {} could not be sent: {}", receiptId, e.getClass().getSimpleName());
        }
    }

    private Outcome quarantine(String receiptId, String agencyId, String reason, String detail, String rawRef,
                               Instant now) {
        store.quarantine(receiptId, Channel.EMAIL.code(), agencyId, reason, detail, rawRef, now);
        LOG.warn("e-mail {} quarantined: {}", receiptId, reason);
        return new Outcome(receiptId, "quarantined", agencyId, List.of(), 0, reason);
    }

    static String describe(List<FieldError> errors) {
        return String.join("; ", errors.stream().map(e -> (e.source() != null && !e.source().equals(e.field())
                ? e.source() + " (" + e.field() + ")" : e.field()) + " " + e.message()).toList());
    }

    private static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "?" : address.substring(at + 1);
    }
}
