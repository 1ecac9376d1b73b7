package org.referralhub.camel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.referralhub.store.FailedAttempts;

/**
 * Failed sign-ins at the hub's HTTP doors (agency and partner keys, admin tokens): a source that failed too often at a
 * door lately is answered 429 with {@code Retry-After} until its window ends, even with a good credential.
 */
public final class SignInLimit {

    private final FailedAttempts attempts;
    private final Clock clock;

    public SignInLimit(FailedAttempts attempts, Clock clock) {
        this.attempts = attempts;
        this.clock = clock;
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
    public ApiProblem failed(String door, ApiRequest request, ApiProblem problem) {
        return attempts.failed(door, request.sourceIp()).<ApiProblem>map(until -> tooMany(until, clock.instant()))
                .orElse(problem);
    }

    /** The counter behind it, for doors that answer otherwise than with a problem (status links, SFTP logins). */
    public FailedAttempts attempts() {
        return attempts;
    }

    private static ApiProblem tooMany(Instant until, Instant now) {
        long seconds = Math.max(1, Duration.between(now, until).toSeconds());
        return new ApiProblem(429, "too-many-failures", "Too many failed sign-ins",
                "This address failed to sign in too often; try again later.").retryAfter((int) seconds);
    }
}
