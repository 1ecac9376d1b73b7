package org.referralhub.config;

import java.security.SecureRandom;
import org.referralhub.referral.Sha256;

/**
 * Agency API keys: {@code rhk_<agency>_<32 random base62 characters>}, so a leaked key says whose it is. Only the
 * SHA-256 digest is stored; with 190 bits of randomness a fast digest is enough.
 */
public final class ApiKeys {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate(String agencyId) {
        return generate("rhk_", agencyId);
    }

    /** A partner's key: {@code rhp_<partner>_…}. */
    public static String generateForPartner(String partnerId) {
        return generate("rhp_", partnerId);
    }

    private static String generate(String prefix, String ownerId) {
        StringBuilder key = new StringBuilder(prefix).append(ownerId).append('_');
        for (int i = 0; i < 32; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return key.toString();
    }

    public static String hash(String key) {
        return Sha256.hex(key);
    }
}
