package org.referralhub.referral;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

/**
 * Referral ids are ULIDs: 26 characters of Crockford base32, a 48-bit millisecond timestamp followed by
 * 80 random bits, so ids sort by the time the hub received the referral.
 */
public final class ReferralIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReferralIds() {
    }

    public static String newId(Instant at) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return id(at, random);
    }

    /**
     * The id of one referral of a receipt — a row of a file, a form of a message: the receipt's time, and 80 bits of
     * SHA-256 of {@code seed} (the receipt and the row). The same row read again under the same receipt, after a crash
     * or in a replay, gets the same id, so it cannot be stored twice.
     */
    public static String derivedId(Instant at, String seed) {
        byte[] digest = Sha256.digest(seed.getBytes(StandardCharsets.UTF_8));
        return id(at, Arrays.copyOf(digest, 10));
    }

    private static String id(Instant at, byte[] random) {
        long time = at.toEpochMilli();
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits -> 16 characters of 5 bits
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    /** True for a well-formed id; used to answer 404 rather than query with junk. */
    public static boolean isWellFormed(String id) {
        if (id == null || id.length() != 26 || id.charAt(0) > '7') {
            return false;
        }
        for (char c : id.toCharArray()) {
            if (indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The instant encoded in an id. */
    public static Instant timeOf(String id) {
        long time = 0;
        for (int i = 0; i < 10; i++) {
            time = (time << 5) | indexOf(id.charAt(i));
        }
        return Instant.ofEpochMilli(time);
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
