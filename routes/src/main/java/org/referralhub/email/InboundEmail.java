package org.referralhub.email;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A received message, read with Jakarta Mail: sender, threading ids, the readable body (plain text preferred,
 * else the HTML's text), and the attachments. multipart/mixed and /alternative, quoted-printable and base64, any
 * charset, RFC 2231 file names. Anything it cannot read throws {@link UnreadableEmailException}.
 */
public record InboundEmail(String from, String subject, String messageId, String references, String body,
                           List<Attachment> attachments, String spamVerdict, String virusVerdict,
                           String authenticationResults) {

    private static final Session SESSION;

    static {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.decodefilename", "true");
        properties.setProperty("mail.mime.decodeparameters", "true");
        // real mail as real mailers write it: multiparts without a boundary parameter or a closing boundary, UTF-8
        // written raw in headers — read, not refused (stray semicolons and a boundary declared but not used: below)
        properties.setProperty("mail.mime.parameters.strict", "false");
        properties.setProperty("mail.mime.multipart.ignoremissingboundaryparameter", "true");
        properties.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        properties.setProperty("mail.mime.multipart.ignoreexistingboundaryparameter", "false");
        properties.setProperty("mail.mime.allowutf8", "true");
        // a base64 part cut short or with stray characters: what decodes is read (Jakarta Mail reads this one from the
        // system properties only; nothing else in the hub decodes mail)
        properties.setProperty("mail.mime.base64.ignoreerrors", "true");
        System.setProperty("mail.mime.base64.ignoreerrors", "true");
        SESSION = Session.getInstance(properties);
    }

    /** A file attached to the message. */
    public record Attachment(String fileName, String contentType, byte[] content) {
    }

    /**
     * Who sent a message, from its headers, when they could be read though the rest could not: enough to answer.
     *
     * @param authenticationResults SES's verdicts on the sender, or null (locally)
     */
    public record Envelope(String from, String subject, String messageId, String references,
                           String authenticationResults) {

        /** Whether SES's verdicts fail to vouch for the sender's address (see {@link InboundEmail#senderUnproven()}). */
        public boolean senderUnproven() {
            return unproven(authenticationResults, from);
        }
    }

    /** Thrown for a message that cannot be read; the reason is fit for a quarantine list and for its sender. */
    public static final class UnreadableEmailException extends RuntimeException {
        private final transient Envelope envelope;

        public UnreadableEmailException(String message) {
            this(message, null);
        }

        UnreadableEmailException(String message, Envelope envelope) {
            super(message, null, false, false);
            this.envelope = envelope;
        }

        /** The sender, when the headers could be read; null otherwise. */
        public Envelope envelope() {
            return envelope;
        }
    }

    public static InboundEmail parse(byte[] raw, int maxAttachments, long maxAttachmentBytes) {
        Envelope envelope = null;
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            var from = message.getFrom();
            if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress sender)
                    || sender.getAddress() == null) {
                throw new UnreadableEmailException("the message has no sender address");
            }
            envelope = new Envelope(sender.getAddress().toLowerCase(Locale.ROOT), message.getSubject(),
                    message.getMessageID(), message.getHeader("References", " "), sesAuthenticationResults(message));
            StringBuilder plain = new StringBuilder();
            StringBuilder html = new StringBuilder();
            List<Attachment> attachments = new ArrayList<>();
            walk(message, plain, html, attachments, maxAttachments, maxAttachmentBytes, 0);
            String body = plain.length() > 0 ? plain.toString() : HtmlText.of(html.toString());
            return new InboundEmail(sender.getAddress().toLowerCase(Locale.ROOT), message.getSubject(),
                    message.getMessageID(), message.getHeader("References", " "), body, List.copyOf(attachments),
                    message.getHeader("X-SES-Spam-Verdict", null), message.getHeader("X-SES-Virus-Verdict", null),
                    sesAuthenticationResults(message));
        } catch (MessagingException | IOException | RuntimeException e) {
            if (e instanceof UnreadableEmailException u) {
                throw u.envelope() != null || envelope == null ? u : new UnreadableEmailException(u.getMessage(), envelope);
            }
            throw new UnreadableEmailException("the message is not readable MIME (" + e.getClass().getSimpleName() + ")",
                    envelope);
        }
    }

    /**
     * The Authentication-Results header SES added, or null. SES puts its own above every header the sender wrote, so
     * only the topmost one is read, and only if SES wrote it: one a sender wrote below (even naming amazonses.com) is
     * never trusted.
     */
    private static String sesAuthenticationResults(MimeMessage message) throws MessagingException {
        String[] headers = message.getHeader("Authentication-Results");
        if (headers == null || headers.length == 0) {
            return null;
        }
        return SenderAuthentication.parse(headers[0]).filter(SenderAuthentication::bySes).isPresent() ? headers[0] : null;
    }

    /**
     * Whether SES's verdicts fail to vouch for the sender's address: no DMARC pass, no DKIM pass for a domain aligned
     * with the From domain, no SPF pass for an envelope sender aligned with it, or a DMARC failure
     * ({@link SenderAuthentication}). Without SES's header (the local hub has no SES), nothing is said.
     */
    public boolean senderUnproven() {
        return unproven(authenticationResults, from);
    }

    private static boolean unproven(String authenticationResults, String from) {
        if (authenticationResults == null) {
            return false;
        }
        String domain = from == null ? "" : from.substring(from.lastIndexOf('@') + 1);
        return SenderAuthentication.parse(authenticationResults).map(a -> !a.vouchesFor(domain)).orElse(true);
    }

    /** An attachment's name as a name, never a path: what follows its last / or \ ("attachment" when nothing does). */
    static String baseName(String fileName) {
        if (fileName == null) {
            return "attachment";
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).strip();
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "attachment" : name;
    }

    /** Stray semicolons in a part's Content-Type or Content-Disposition ({@code text/plain;; charset=…}) taken out. */
    private static void tidy(Part part) throws MessagingException {
        for (String name : new String[] {"Content-Type", "Content-Disposition"}) {
            String[] values = part.getHeader(name);
            if (values != null && values.length > 0 && STRAY_SEMICOLONS.matcher(values[0]).find()) {
                part.setHeader(name, STRAY_SEMICOLONS.matcher(values[0]).replaceAll(";"));
            }
        }
    }

    private static final Pattern STRAY_SEMICOLONS = Pattern.compile(";(\\s*;)+");

    /**
     * A multipart's parts. When the boundary its header declares is not the one its body uses (a mailer's slip), the
     * body's own first delimiter line ({@code --…}) is taken as the boundary: that is the line that starts its parts.
     */
    private static Multipart multipart(Part part) throws MessagingException, IOException {
        try {
            Multipart declared = (Multipart) part.getContent();
            declared.getCount();
            return declared;
        } catch (MessagingException noStart) {
            byte[] raw;
            try (InputStream in = part instanceof MimeBodyPart body ? body.getRawInputStream()
                    : ((MimeMessage) part).getRawInputStream()) {
                raw = in.readAllBytes();
            }
            for (String line : new String(raw, StandardCharsets.ISO_8859_1).split("\r?\n")) {
                if (line.startsWith("--") && line.length() > 2 && !line.isBlank()) {
                    String boundary = line.substring(2).strip();
                    MimeMultipart used = new MimeMultipart(new ByteArrayDataSource(raw,
                            "multipart/mixed; boundary=\"" + boundary.replace("\"", "") + "\""));
                    used.getCount();
                    return used;
                }
            }
            throw noStart;
        }
    }

    private static void walk(Part part, StringBuilder plain, StringBuilder html, List<Attachment> attachments,
                             int maxAttachments, long maxBytes, int depth) throws MessagingException, IOException {
        if (depth > 10) {
            throw new UnreadableEmailException("the message nests parts more than 10 deep");
        }
        tidy(part);
        String disposition = part.getDisposition();
        String fileName = part.getFileName();
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = multipart(part);
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                walk(child, plain, html, attachments, maxAttachments, maxBytes, depth + 1);
            }
        } else if (fileName != null || Part.ATTACHMENT.equalsIgnoreCase(disposition)) {
            if (attachments.size() >= maxAttachments) {
                throw new UnreadableEmailException("the message has more than " + maxAttachments + " attachments");
            }
            try (InputStream in = part.getInputStream()) {
                byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (content.length > maxBytes) {
                    throw new UnreadableEmailException("an attachment is larger than " + maxBytes + " bytes");
                }
                attachments.add(new Attachment(baseName(fileName), part.getContentType(), content));
            }
        } else if (part.isMimeType("text/plain") && plain.length() == 0) {
            plain.append(String.valueOf(part.getContent()));
        } else if (part.isMimeType("text/html") && html.length() == 0) {
            html.append(String.valueOf(part.getContent()));
        } else if (part.isMimeType("message/rfc822")) {
            Object content = part.getContent();
            if (content instanceof Part forwarded) {
                walk(forwarded, plain, html, attachments, maxAttachments, maxBytes, depth + 1);
            }
        }
    }
}
