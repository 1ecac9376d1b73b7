package org.referralhub.outcome;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.Partner;
import org.referralhub.email.MailSender;
import org.referralhub.email.OutboundEmail;
import org.referralhub.fhir.FhirResources;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the hub tells partners after a delivery, by each partner's own channel: a reminder of a referral left waiting,
 * and a request to erase what an erased referral gave them — a signed webhook call, or a message to its intake inbox,
 * ids only. A partner that takes files has no channel for either.
 */
public final class PartnerMessages {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerMessages.class);

    private final ConfigurationSource configs;
    private final MailSender mail;
    private final String hubAddress;
    private final StatusLinks links;
    private final String publicBaseUrl;
    private final SignedCall.Sender calls;
    private final Clock clock;

    /**
     * @param hubAddress    the hub's own address, the messages' sender
     * @param publicBaseUrl the hub's public URL, where status links point
     */
    public PartnerMessages(ConfigurationSource configs, MailSender mail, String hubAddress, StatusLinks links,
                           String publicBaseUrl, SignedCall.Sender calls, Clock clock) {
        this.configs = configs;
        this.mail = mail;
        this.hubAddress = hubAddress;
        this.links = links;
        this.publicBaseUrl = publicBaseUrl;
        this.calls = calls;
        this.clock = clock;
    }

    /** Whether the partner has something to be reminded by: a webhook or an inbox. */
    public static boolean canRemind(Partner partner) {
        return partner.intake() != null && partner.intake().match(webhook -> true, sftp -> false, email -> true, fhir -> false);
    }

    /** A reminder by the partner's own channel: a signed webhook call, or a message to its inbox with the links. */
    public void remind(Partner partner, Referral referral, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "referral.reminder");
        body.put("referralId", referral.referralId());
        body.put("deliveryId", referral.delivery().idempotencyId());
        body.put("agencyId", referral.agencyId());
        body.put("referredAt", referral.source().receivedAt());
        body.put("message", "This referral is waiting for your answer: accept or reject it.");
        partner.intake().<Void>match(webhook -> {
            calls.send(SignedCall.of(webhook.url(), webhook.signingSecret(), "rem_" + referral.referralId() + "_"
                    + partner.id(), CanonicalJson.write(body), clock.instant()));
            return null;
        }, sftp -> {
            throw new IllegalStateException("partner " + partner.id() + " takes files: nothing to remind it by");
        }, email -> {
            StringBuilder text = new StringBuilder("Referral ").append(referral.referralId()).append(" from ")
                    .append(referral.agencyId()).append(", delivered to you earlier, is waiting for your answer.\n\n");
            Instant expires = now.plus(StatusLinks.LIFETIME);
            for (String milestone : StatusLinks.MILESTONES) {
                text.append("  ").append(milestone).append(": ").append(publicBaseUrl).append("/v1/partner/status-links/")
                        .append(links.token(referral.referralId(), partner.id(), milestone, expires)).append('\n');
            }
            mail.send(new OutboundEmail(hubAddress, email.address(), "Reminder: referral " + referral.referralId()
                    + " is waiting for your answer", text.toString(), messageId("rem", referral, partner.id()), null, null));
            return null;
        }, fhir -> {
            throw new IllegalStateException("partner " + partner.id() + " takes Tasks on its FHIR server: nothing to "
                    + "remind it by");
        });
    }

    /**
     * Every partner that received the referral is asked to erase what it holds: a signed webhook call
     * ({@code referral.erased}, the same {@code webhook-id} if the erasure is repeated) or a message to its intake
     * inbox — ids only. A partner that takes files by SFTP, or that could not be reached, is named for the
     * administrator to tell by hand. Answers one line per partner, for the erasure record.
     */
    public List<String> tellOfErasure(Referral referral) {
        Set<String> reached = new LinkedHashSet<>();
        if (referral.delivery() != null) {
            referral.delivery().attempts().stream().filter(a -> a.outcome() == DeliveryAttempt.Outcome.DELIVERED)
                    .forEach(a -> reached.add(a.partnerId()));
        }
        List<String> said = new ArrayList<>();
        for (String partnerId : reached) {
            Partner partner = configs.current().partner(partnerId).orElse(null);
            if (partner == null || partner.intake() == null) {
                said.add("partner " + partnerId + " is no longer configured: tell them yourself");
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "referral.erased");
            body.put("referralId", referral.referralId());
            body.put("deliveryId", referral.delivery().idempotencyId());
            body.put("erasedAt", clock.instant().toString());
            body.put("message", "The client asked for their personal data to be erased: delete what this referral gave you.");
            try {
                said.add(partner.intake().match(webhook -> {
                    calls.send(SignedCall.of(webhook.url(), webhook.signingSecret(), "era_" + referral.referralId() + "_"
                            + partnerId, CanonicalJson.write(body), clock.instant()));
                    return "partner " + partnerId + " asked to erase it (webhook)";
                }, sftp -> "partner " + partnerId + " takes referrals by " + sftp.kind().code() + ": tell them yourself",
                        email -> {
                    mail.send(new OutboundEmail(hubAddress, email.address(), "Erase referral " + referral.referralId(),
                            "Referral " + referral.referralId() + ", delivered to you earlier, is erased at the client's "
                                    + "request.\n\n" + body.get("message") + "\n", messageId("era", referral, partnerId),
                            null, null));
                    return "partner " + partnerId + " asked to erase it (e-mail)";
                }, fhir -> "partner " + partnerId + " holds it as a Task on its own FHIR server (identifier "
                        + FhirResources.REFERRAL_SYSTEM + "|" + referral.referralId() + "): tell them yourself"));
            } catch (RuntimeException e) {
                LOG.warn("partner {} not told of the erasure of referral {} ({})", partnerId, referral.referralId(),
                        e.getClass().getSimpleName());
                said.add("partner " + partnerId + " could not be reached: tell them yourself");
            }
        }
        return said;
    }

    private String messageId(String kind, Referral referral, String partnerId) {
        return "<" + kind + "-" + referral.referralId() + "-" + partnerId + "@" + hubAddress.substring(hubAddress.indexOf('@') + 1) + ">";
    }
}
