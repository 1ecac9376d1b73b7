package org.referralhub.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StatusLinksTest {

    private final StatusLinks links = new StatusLinks(() -> "a key of the hub's, 32 bytes long".getBytes(StandardCharsets.UTF_8));
    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

    @Test
    void aLinkSaysWhatItWasMadeForUntilItExpires() {
        String token = links.token("01M84355NZJFZWGBWCRN73267R", "jvs-toronto", "registered", NOW.plus(StatusLinks.LIFETIME));
        assertThat(links.verify(token, NOW)).contains(new StatusLinks.Claim("01M84355NZJFZWGBWCRN73267R", "jvs-toronto",
                "registered", NOW.plus(StatusLinks.LIFETIME)));
        assertThat(links.verify(token, NOW.plus(StatusLinks.LIFETIME).plusSeconds(1))).isEmpty();
    }

    @Test
    void aChangedOrForeignLinkIsRefused() {
        String token = links.token("01M84355NZJFZWGBWCRN73267R", "jvs-toronto", "registered", NOW.plusSeconds(60));
        String[] parts = token.split("\\.");
        String otherClaim = links.token("01M84355NZJFZWGBWCRN73267R", "jvs-toronto", "matched", NOW.plusSeconds(60)).split("\\.")[0];
        assertThat(links.verify(otherClaim + "." + parts[1], NOW)).as("another claim under this signature").isEmpty();
        StatusLinks other = new StatusLinks(() -> "another hub's key entirely, 32 b".getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify(token, NOW)).isEmpty();
        assertThat(links.verify("garbage", NOW)).isEmpty();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = parts[1].charAt(parts[1].length() - 1);
        // the last of 43 characters carries 4 bits of the 32-byte signature: its lowest bit is unused
        String sameBitsOtherWay = parts[1].substring(0, parts[1].length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(Base64.getUrlDecoder().decode(sameBitsOtherWay)).isEqualTo(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(links.verify(parts[0] + "." + sameBitsOtherWay, NOW)).as("a signature written another way").isEmpty();
        assertThat(links.verify(null, NOW)).isEmpty();
    }
}
