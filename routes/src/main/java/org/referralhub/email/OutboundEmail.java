package org.referralhub.email;

/**
 * A message the hub sends: replies to agencies now, partner deliveries later. {@code inReplyTo} threads a reply on
 * the message it answers; {@code messageId} is set by the hub so a retry is recognisable.
 */
public record OutboundEmail(String from, String to, String subject, String text, String messageId, String inReplyTo,
                            String references, String attachmentName, byte[] attachment) {

    public OutboundEmail(String from, String to, String subject, String text, String messageId, String inReplyTo,
                         String references) {
        this(from, to, subject, text, messageId, inReplyTo, references, null, null);
    }
}
