package org.referralhub.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import org.referralhub.config.Agency;
import org.referralhub.config.FieldMappingSet;
import org.referralhub.files.FileLimits;
import org.referralhub.files.FileRowsReader;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.ReferralDraft;
import org.referralhub.intake.ReferralIntake;

/**
 * An e-mail's reading: the "Label: value" forms of its body through the agency's label mapping, then the rows of
 * each attached file. A message that names no allowed sender of the agency says so (the intake quarantines it before
 * reading; the sandbox reads it all the same).
 */
public final class MessageReader implements ChannelReader {

    private final ReferralIntake intake;
    private final int maxAttachments;
    private final ChannelReader attachments;

    public MessageReader(ReferralIntake intake, int maxAttachments) {
        this.intake = intake;
        this.maxAttachments = maxAttachments;
        this.attachments = FileRowsReader.attached(intake, FileLimits.DEFAULT);
    }

    @Override
    public void read(Agency agency, String name, byte[] bytes, Found found) {
        InboundEmail email;
        try {
            email = InboundEmail.parse(bytes, maxAttachments, FileLimits.DEFAULT.maxUnzippedBytes());
        } catch (InboundEmail.UnreadableEmailException e) {
            throw new Unreadable(e.getMessage());
        }
        if (agency.email() == null || !agency.email().allows(email.from())) {
            found.problem("the sender's address is not one this agency allows: the message would be quarantined");
        }
        read(agency, email, found);
    }

    /** Reads a message already parsed (and its sender already checked). */
    public void read(Agency agency, InboundEmail email, Found found) {
        List<ReferralDraft> forms = email.body() == null ? List.of() : formDrafts(agency, email.body());
        for (int i = 0; i < forms.size(); i++) {
            String where = forms.size() == 1 ? "the referral in the message" : "referral " + (i + 1) + " in the message";
            found.draft(new Labelled(where, "form=" + (i + 1), forms.get(i)));
        }
        for (InboundEmail.Attachment attachment : email.attachments()) {
            attachments.read(agency, attachment.fileName(), attachment.content(), found);
        }
    }

    /** The referral forms of a message body, read through the agency's label mapping. */
    private List<ReferralDraft> formDrafts(Agency agency, String body) {
        List<ObjectNode> forms = FormBody.parse(body);
        String mapping = agency.email() == null || agency.email().mapping() == null ? FieldMappingSet.CANONICAL
                : agency.email().mapping();
        LinkedHashSet<String> labels = new LinkedHashSet<>();
        forms.forEach(f -> f.fieldNames().forEachRemaining(labels::add));
        Function<JsonNode, ReferralDraft> mapper = intake.mapperFor(mapping, new ArrayList<>(labels), agency.dateOrder());
        return forms.stream().map(mapper).toList();
    }
}
