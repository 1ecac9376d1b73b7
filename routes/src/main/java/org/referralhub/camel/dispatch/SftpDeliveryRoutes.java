package org.referralhub.camel.dispatch;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.DeliveryPolicy;
import org.referralhub.config.Partner;
import org.referralhub.config.PartnerChannel;
import org.referralhub.delivery.PartnerFile;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.delivery.SecretStore;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.Sha256;

/**
 * Delivery to a partner's SFTP server: one file per referral, or one per batch window, in the partner's format and
 * columns; uploaded under a temporary name and renamed when complete; the server's host key checked against the
 * configured known_hosts; logged in with the hub's key from the secret store. The file name is the delivery's
 * idempotency id (or, for a batch, a digest of its delivery ids), the same on every retry.
 */
public final class SftpDeliveryRoutes extends RouteBuilder {

    private static final String SFTP_URI = "sftpUri";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ConfigurationSource configs;
    private final SecretStore secrets;

    public SftpDeliveryRoutes(ConfigurationSource configs, SecretStore secrets) {
        this.configs = configs;
        this.secrets = secrets;
    }

    @Override
    public void configure() {
        from(Endpoints.DELIVER_SFTP).routeId("deliver-sftp").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::render)
                // toD: Camel's SFTP producer takes its server from the endpoint. The URI is built in uri() with fixed
                // options from the partner's host, port, username and folder — each checked as a plain name when the
                // configuration is saved (PartnerChannel.Sftp#problems: no ?, &, =, #, braces, $ or ..), so none can
                // carry an option, a placeholder or a path out of the folder; key and known hosts go by reference
                .toD("${exchangeProperty." + SFTP_URI + "}")
                .process(this::recordDelivered);
    }

    private void render(Exchange exchange) {
        ClaimedDelivery claimed = ClaimedDelivery.of(exchange);
        List<Referral> referrals = claimed.referrals();
        Partner partner = claimed.partner();
        // the dispatcher's match on the partner's channel sends only SFTP partners here
        PartnerChannel.Sftp intake = (PartnerChannel.Sftp) partner.intake();
        List<PartnerReferral> views = claimed.views(configs.current());
        String name;
        if (intake.isBatched()) {
            String ids = String.join("\n", referrals.stream().map(r -> r.delivery().idempotencyId()).sorted().toList());
            name = "referrals-" + partner.id() + "-" + STAMP.format(referrals.get(0).delivery().nextAttemptAt())
                    + "-" + Sha256.hex(ids).substring(0, 12) + "." + intake.extension();
        } else {
            name = referrals.get(0).delivery().idempotencyId() + "." + intake.extension();
        }
        bindCredentials(exchange, partner, intake);
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.FILE_NAME, name);
        message.setBody(PartnerFile.render(intake, views));
        exchange.setProperty(SFTP_URI, uri(partner, intake));
    }

    /** The key and known hosts go to the endpoint by reference, never in its URI (which Camel may log). */
    private void bindCredentials(Exchange exchange, Partner partner, PartnerChannel.Sftp intake) {
        var registry = exchange.getContext().getRegistry();
        if (registry.lookupByName(keyBean(partner)) == null) {
            registry.bind(keyBean(partner), byte[].class, secrets.get(intake.privateKeyRef()));
            registry.bind(knownHostsBean(partner), byte[].class, intake.knownHosts().getBytes(StandardCharsets.UTF_8));
        }
    }

    private String uri(Partner partner, PartnerChannel.Sftp intake) {
        DeliveryPolicy policy = configs.current().delivery();
        String directory = intake.directory() == null ? "" : intake.directory().replaceAll("^/+|/+$", "");
        return "sftp://" + intake.host() + ":" + intake.portOrDefault() + "/" + directory
                + "?username=" + intake.username()
                + "&privateKey=#" + keyBean(partner)
                + "&knownHosts=#" + knownHostsBean(partner)
                + "&strictHostKeyChecking=yes&useUserKnownHostsFile=false"
                + "&tempPrefix=.uploading-&fileExist=Override&binary=true&autoCreate=false&disconnect=true"
                + "&connectTimeout=" + policy.connectTimeoutSeconds() * 1000
                + "&timeout=" + policy.responseTimeoutSeconds() * 1000;
    }

    private static String keyBean(Partner partner) {
        return "sftpKey-" + partner.id();
    }

    private static String knownHostsBean(Partner partner) {
        return "sftpKnownHosts-" + partner.id();
    }

    private void recordDelivered(Exchange exchange) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        ClaimedDelivery.of(exchange).delivered(Channel.SFTP, null, "file " + name);
    }
}
