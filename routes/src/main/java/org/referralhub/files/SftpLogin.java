package org.referralhub.files;

import java.util.List;
import java.util.Optional;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Passwords;

/**
 * Who may log in to the hub's SFTP server, decided from the configuration in force — so an agency an administrator
 * adds, a key they add or a password they change works at once, without touching the server. The same decision
 * serves AWS Transfer Family (its custom identity provider function) and the local hub's SFTP server.
 */
public final class SftpLogin {

    /** Failed SFTP password logins are counted under this door. */
    public static final String DOOR = "sftp-login";

    /** Folders every agency home has: files dropped, results returned, files done with, files refused. */
    public static final List<String> FOLDERS = List.of(FileImport.INBOUND, "results", "archive", "error");
    /** Folders every partner home has: status files dropped, results returned, files done with, files refused. */
    public static final List<String> PARTNER_FOLDERS = List.of("status", "results", "archive", "error");

    private SftpLogin() {
    }

    /**
     * An agency's login: its home (the agency's prefix of the file drop, named after the username) and the public
     * keys it may present.
     */
    public record Account(String ownerId, String username, List<String> publicKeys, String passwordHash,
                          List<String> folders) {
    }

    /**
     * The account of a username — an agency's (it drops referrals in {@code inbound/}) or a partner's (it drops status
     * files in {@code status/}) — whatever the credential: key logins check the key against {@code publicKeys}.
     */
    public static Optional<Account> account(HubConfiguration config, String username) {
        String user = username == null ? "" : username;
        return config.agencyBySftpUser(user).map(a -> account(a.id(), a.sftp(), FOLDERS))
                .or(() -> config.partnerBySftpUser(user).map(p -> account(p.id(), p.sftp(), PARTNER_FOLDERS)));
    }

    private static Account account(String owner, Agency.SftpAccount sftp, List<String> folders) {
        return new Account(owner, sftp.username(), sftp.authorizedKeys(), sftp.passwordHash(), folders);
    }

    /** The account if this password is its SFTP password; empty for anything else (no password set, too). */
    public static Optional<Account> withPassword(HubConfiguration config, String username, String password) {
        if (password == null || password.isEmpty()) {
            return Optional.empty();
        }
        // a username with no account, or no password, is refused after the same work as a wrong password
        Optional<Account> account = account(config, username);
        boolean matched = Passwords.matchesInEqualTime(password, account.map(Account::passwordHash).orElse(null));
        return matched ? account : Optional.empty();
    }

    /** A login attempt as the SFTP server passes it on; {@code password} is empty for a key login. */
    public record Attempt(String username, String password, String protocol, String sourceIp) {
    }

    /**
     * What the SFTP server needs to let an agency in: its logical home (only its own prefix of the file drop) and,
     * for a key login, the keys to check; empty when the attempt is refused.
     */
    public static Optional<Account> decide(HubConfiguration config, Attempt attempt) {
        if (attempt.protocol() != null && !"SFTP".equalsIgnoreCase(attempt.protocol())) {
            return Optional.empty();
        }
        if (attempt.password() == null || attempt.password().isEmpty()) {
            return account(config, attempt.username()).filter(a -> !a.publicKeys().isEmpty());
        }
        return withPassword(config, attempt.username(), attempt.password());
    }

    /** The agency owning a username, for callers that only need to know it exists. */
    public static Optional<Agency> agency(HubConfiguration config, String username) {
        return config.agencyBySftpUser(username == null ? "" : username);
    }
}
