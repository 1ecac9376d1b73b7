package org.referralhub.camel.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.Partner;
import org.referralhub.config.PartnerChannel;
import org.referralhub.email.MailSender;
import org.referralhub.outcome.StatusLinks;
import org.referralhub.delivery.PartnerFile;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.email.OutboundEmail;
import org.referralhub.intake.FieldPath;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery to a partner's inbox: one message per referral, or one digest per batch window, from the partner's
 * subject and body templates, optionally with the referrals as a CSV in its columns — only what the client's consent
 * shares. The Message-ID is built from the delivery's idempotency id (or the batch's), the same on every retry, so a
 * partner's mail system can tell a retry from a new referral.
 */
public final class EmailDeliveryRoutes extends RouteBuilder {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{\\s*([A-Za-z0-9_.\\[\\]=-]+)\\s*}");
    private static final String DEFAULT_SUBJECT = "New referral ${referralId} from ${agencyName}";
    private static final String DEFAULT_DIGEST_SUBJECT = "${count} new referrals";
    private static final String DEFAULT_BODY = """
            Referral ${referralId} from ${agencyName} (${agencyReference}), referred on ${referredAt}.

            Client: ${client.firstName} ${client.lastName}
            E-mail: ${client.email}
            Phone: ${client.phone}
            Preferred language: ${client.preferredLanguage}
            Postal code: ${client.postalCode}
            Profession: ${client.profession}
            Years of experience: ${client.yearsOfExperience}
            English level (CLB): ${client.englishLevel}

            Delivery id: ${deliveryId} (the same if this message is ever sent again)
            """;

    private static final Logger LOG = LoggerFactory.getLogger(EmailDeliveryRoutes.class);

    private final ConfigurationSource configs;
    private final MailSender mail;
    private final String hubAddress;
    private final StatusLinks links;
    private final String publicBaseUrl;
    private final Clock clock;

    /**
     * @param hubAddress    the hub's own address, the messages' sender
     * @param publicBaseUrl the hub's public URL, where status links point
     */
    public EmailDeliveryRoutes(ConfigurationSource configs, MailSender mail, String hubAddress, StatusLinks links,
                               String publicBaseUrl, Clock clock) {
        this.configs = configs;
        this.mail = mail;
        this.hubAddress = hubAddress;
        this.links = links;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(Endpoints.DELIVER_EMAIL).routeId("deliver-email").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::send);
    }

    private void send(Exchange exchange) {
        ClaimedDelivery claimed = ClaimedDelivery.of(exchange);
        Partner partner = claimed.partner();
        // the dispatcher's match on the partner's channel sends only e-mail partners here
        PartnerChannel.Email intake = (PartnerChannel.Email) partner.intake();
        List<PartnerReferral> views = claimed.views(configs.current());
        List<JsonNode> nodes = views.stream().map(v -> (JsonNode) CanonicalJson.MAPPER.valueToTree(v)).toList();
        String domain = hubAddress.substring(hubAddress.indexOf('@') + 1);
        boolean digest = intake.isBatched();
        String id = digest
                ? "batch-" + Sha256.hex(String.join("\n", views.stream().map(PartnerReferral::deliveryId).sorted().toList())).substring(0, 16)
                : views.get(0).deliveryId();
        String subjectTemplate = intake.subject() != null ? intake.subject() : digest ? DEFAULT_DIGEST_SUBJECT : DEFAULT_SUBJECT;
        String bodyTemplate = intake.body() != null ? intake.body() : DEFAULT_BODY;
        String subject = fill(subjectTemplate, nodes.get(0), nodes.size());
        StringBuilder body = new StringBuilder();
        Instant expires = clock.instant().plus(StatusLinks.LIFETIME);
        for (JsonNode node : nodes) {
            if (!body.isEmpty()) {
                body.append("\n----------------------------------------\n\n");
            }
            body.append(fill(bodyTemplate, node, nodes.size()));
            body.append(links(node.path("referralId").asText(), partner.id(), expires));
        }
        byte[] csv = Boolean.TRUE.equals(intake.attachCsv()) ? PartnerFile.render(intake, views) : null;
        mail.send(new OutboundEmail(hubAddress, intake.address(), subject, body.toString(),
                "<" + id + "@" + domain + ">", null, null, csv == null ? null : id + ".csv", csv));
        claimed.delivered(Channel.EMAIL, null, "message <" + id + "@" + domain + ">");
    }

    /** Per-milestone links that report without a login, or nothing when the link key cannot be read. */
    private String links(String referralId, String partnerId, Instant expires) {
        StringBuilder out = new StringBuilder("\nWhat happened? Each link reports it, no login needed (valid until ")
                .append(expires.toString(), 0, 10).append("):\n");
        try {
            for (String milestone : StatusLinks.MILESTONES) {
                out.append("  ").append(milestone).append(": ").append(publicBaseUrl)
                        .append("/v1/partner/status-links/").append(links.token(referralId, partnerId, milestone, expires))
                        .append('\n');
            }
            return out.toString();
        } catch (RuntimeException e) {
            LOG.warn("status links left out of a delivery to partner {}: the link key cannot be read ({})", partnerId,
                    e.getClass().getSimpleName());
            return "";
        }
    }

    /** Replaces each {@code ${field}} by the field's value in the partner view (empty when absent). */
    static String fill(String template, JsonNode view, int count) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.equals("count")) {
                value = Integer.toString(count);
            } else {
                JsonNode node = FieldPath.parse(name).resolve(view);
                value = node.isMissingNode() || node.isNull() ? "" : node.isValueNode() ? node.asText() : node.toString();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
