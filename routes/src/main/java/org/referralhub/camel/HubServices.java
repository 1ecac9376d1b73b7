package org.referralhub.camel;

import java.time.Clock;
import org.referralhub.archive.RawArchive;
import org.referralhub.config.HubConfiguration;
import org.referralhub.delivery.SecretStore;
import org.referralhub.email.MailSender;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.store.ReferralStore;

/** What the routes work with: built once per container by the hub, shared by every route. */
public record HubServices(HubConfiguration config, ReferralIntake intake, ReferralStore store, RawArchive archive,
                          SecretStore secrets, MailSender mail, String hubAddress, Clock clock, int maxBodyBytes) {
}
