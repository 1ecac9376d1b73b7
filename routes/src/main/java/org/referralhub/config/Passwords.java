package org.referralhub.config;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** SFTP passwords are stored as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, never in plain text. */
public final class Passwords {

    private static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /**
     * The stored form of no password: checking against it costs what checking a real one does, so a login for a user
     * who does not exist (or has no password) takes as long to refuse as a wrong password — usernames cannot be told
     * apart by how fast the answer comes. It matches nothing (a key of zero bytes is no PBKDF2 output).
     */
    private static final String DECOY = "pbkdf2-sha256$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(new byte[16])
            + "$" + Base64.getEncoder().encodeToString(new byte[32]);

    /** As {@link #matches}, with the same work done when there is nothing stored ({@code null}): then false. */
    public static boolean matchesInEqualTime(String password, String stored) {
        boolean matched = matches(password == null ? "" : password, stored == null ? DECOY : stored);
        return stored != null && matched;
    }

    public static boolean matches(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 is not available", e);
        }
    }
}
