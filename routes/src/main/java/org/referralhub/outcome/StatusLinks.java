package org.referralhub.outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.referralhub.referral.CanonicalJson;

/**
 * Links in a partner's delivery e-mail that report a milestone without a login: each names the referral, the
 * partner and the milestone, expires, and is signed (HMAC-SHA256) with the hub's link key, so it cannot be forged
 * or pointed at another referral. Opening a link shows a page; only its confirm button reports, so a mail scanner
 * that follows links changes nothing.
 */
public final class StatusLinks {

    /** The milestones a delivery e-mail offers links for. */
    public static final List<String> MILESTONES = List.of("contacted", "registered", "matched", "declined");
    public static final Duration LIFETIME = Duration.ofDays(30);

    private final Supplier<byte[]> key;

    /** @param key the signing key, read when first needed (a secret store call) */
    public StatusLinks(Supplier<byte[]> key) {
        this.key = key;
    }

    /** What a valid link says. */
    public record Claim(String referralId, String partnerId, String businessStatus, Instant expires) {
    }

    private record Payload(String r, String p, String s, long e) {
    }

    /** The link's token: the claim, then its signature. */
    public String token(String referralId, String partnerId, String businessStatus, Instant expires) {
        byte[] payload = CanonicalJson.write(new Payload(referralId, partnerId, businessStatus, expires.getEpochSecond()))
                .getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(sign(payload));
    }

    /** The claim of a token signed by this hub and not expired; empty for anything else. */
    public Optional<Claim> verify(String token, Instant now) {
        if (token == null || token.length() > 1000) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 1) {
            return Optional.empty();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            // compared as text: a signature written another way (unused bits of the last character set) is refused
            byte[] expected = Base64.getUrlEncoder().withoutPadding().encodeToString(sign(payload)).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
                return Optional.empty();
            }
            Payload p = CanonicalJson.MAPPER.readValue(payload, Payload.class);
            Instant expires = Instant.ofEpochSecond(p.e());
            return now.isAfter(expires) ? Optional.empty() : Optional.of(new Claim(p.r(), p.p(), p.s(), expires));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
