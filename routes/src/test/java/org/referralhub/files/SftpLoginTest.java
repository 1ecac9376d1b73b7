package org.referralhub.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Passwords;

/**
 * A wrong SFTP password is refused in the same time whether or not the username exists, so usernames cannot be found
 * by timing the answers (before, an unknown user was refused in microseconds, a known one after 210,000 rounds of
 * PBKDF2). Compared, not timed against a target: the unknown user's refusal must cost at least half the known one's.
 */
class SftpLoginTest {

    private final HubConfiguration config = ConfigurationLoader.parse("""
            programs: [{ id: p }]
            agencies: [{ id: a, program: p, sftp: { username: known, passwordHash: "%s" } }]
            partners: [{ id: x, intake: { channel: webhook, url: "https://partner.example/in", signingSecret: whsec_c2VjcmV0 } }]
            routing: { rules: [], fallbackPartner: x }
            """.formatted(Passwords.hash("the right one")), Map.of());

    @Test
    void theRightPasswordLetsInAndNothingElseDoes() {
        assertThat(SftpLogin.withPassword(config, "known", "the right one")).get()
                .satisfies(a -> assertThat(a.ownerId()).isEqualTo("a"));
        assertThat(SftpLogin.withPassword(config, "known", "a wrong one")).isEmpty();
        assertThat(SftpLogin.withPassword(config, "nobody", "the right one")).isEmpty();
    }

    @Test
    void anUnknownUserIsRefusedAfterTheSameWorkAsAWrongPassword() {
        long known = 0;
        long unknown = 0;
        for (int i = 0; i < 5; i++) {   // interleaved, so a busy moment weighs on both alike
            long start = System.nanoTime();
            SftpLogin.withPassword(config, "known", "guess " + i);
            known += System.nanoTime() - start;
            start = System.nanoTime();
            SftpLogin.withPassword(config, "nobody-" + i, "guess " + i);
            unknown += System.nanoTime() - start;
        }
        assertThat((double) unknown / known).as("unknown %d ns, known %d ns", unknown, known)
                .isGreaterThan(0.5);
        assertThat(List.of(Passwords.matchesInEqualTime("x", null), Passwords.matchesInEqualTime(null, null)))
                .containsOnly(false);
    }
}
