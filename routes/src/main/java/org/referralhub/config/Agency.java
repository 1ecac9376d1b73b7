package org.referralhub.config;

import java.util.List;

/**
 * A referral agency.
 *
 * @param apiKeyHashes   SHA-256 hex digests of its webhook keys: the keys themselves are shown once, never stored
 * @param webhookMapping the entry of {@code mappings} that turns its JSON into a canonical referral
 *                       ({@code canonical} when it already posts the canonical format)
 * @param fileMapping    the mapping for its files (CSV, XLSX, JSON): column names onto canonical fields
 * @param fileSheet      the XLSX sheet to read (null: the first)
 * @param sftp           its account on the hub's SFTP server
 */
public record Agency(String id, String name, String program, List<String> apiKeyHashes, String webhookMapping,
                     String fileMapping, String fileSheet, SftpAccount sftp) {

    public Agency {
        apiKeyHashes = apiKeyHashes == null ? List.of() : List.copyOf(apiKeyHashes);
        webhookMapping = webhookMapping == null ? FieldMappingSet.CANONICAL : webhookMapping;
        fileMapping = fileMapping == null ? FieldMappingSet.CANONICAL : fileMapping;
    }

    /**
     * An SFTP login: files dropped in its home's {@code inbound/} folder are this agency's referrals.
     *
     * @param passwordHash   {@link Passwords} digest, or null for key-only login
     * @param authorizedKeys OpenSSH public keys ({@code ssh-ed25519 AAAA...})
     */
    public record SftpAccount(String username, String passwordHash, List<String> authorizedKeys) {
        public SftpAccount {
            authorizedKeys = authorizedKeys == null ? List.of() : List.copyOf(authorizedKeys);
        }
    }
}
