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
                          org.referralhub.store.NoticeOutbox notices, org.referralhub.store.FailedAttempts attempts) {

    /** The configuration in force now. */
    public HubConfiguration config() {
        return configs.current();
    }

    /** Refuses a source that failed too often at this door lately: 429 with Retry-After until its window ends. */
    public void refuseIfBlocked(String door, ApiRequest request) {
        attempts.blockedUntil(door, request.sourceIp()).ifPresent(until -> {
            throw tooMany(until, clock.instant());
        });
    }

    /**
     * Counts a failed sign-in at this door and answers what to throw: {@code problem} (401), or 429 if this failure
     * reached the source's limit.
     */
    public ApiProblem failedSignIn(String door, ApiRequest request, ApiProblem problem) {
        return attempts.failed(door, request.sourceIp()).<ApiProblem>map(until -> tooMany(until, clock.instant()))
                .orElse(problem);
    }

    private static ApiProblem tooMany(java.time.Instant until, java.time.Instant now) {
        long seconds = Math.max(1, java.time.Duration.between(now, until).toSeconds());
        return new ApiProblem(429, "too-many-failures", "Too many failed sign-ins",
                "This address failed to sign in too often; try again later.").retryAfter((int) seconds);
    }
}
