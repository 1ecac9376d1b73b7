package org.referralhub.camel;

import java.time.Clock;
import org.referralhub.admin.Administration;
import org.referralhub.archive.RawArchive;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.referralhub.delivery.SecretStore;
import org.referralhub.email.MailSender;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.routing.PartnerLoad;
import org.referralhub.store.ReferralStore;

/**
 * What the routes work with: built once per container by the hub, shared by every route.
 *
 * @param configs        the configuration in force, read through its cache on every use
 * @param load           partners' load, for capacity, quotas and routing strategies
 * @param administration administrators' changes to the configuration
 * @param links          signed status links for partners' delivery e-mails
 * @param publicBaseUrl  the hub's public URL (links point there)
 * @param deadLetters    deliveries and notices given up, for administrators to see and replay
 * @param notices        agencies' notices waiting to go out
 */
public record HubServices(ConfigurationSource configs, ReferralIntake intake, ReferralStore store, RawArchive archive,
                          SecretStore secrets, MailSender mail, String hubAddress, Clock clock, int maxBodyBytes,
                          PartnerLoad load, Administration administration, org.referralhub.outcome.StatusLinks links,
                          String publicBaseUrl, org.referralhub.delivery.DeadLetters deadLetters,
                          org.referralhub.store.NoticeOutbox notices) {

    /** The configuration in force now. */
    public HubConfiguration config() {
        return configs.current();
    }
}
