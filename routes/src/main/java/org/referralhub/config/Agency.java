package org.referralhub.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A referral agency.
 *
 * @param apiKeyHashes   SHA-256 hex digests of its webhook keys: the keys themselves are shown once, never stored
 * @param webhookMapping the entry of {@code mappings} that turns its JSON into a canonical referral
 *                       ({@code canonical} when it already posts the canonical format)
 * @param fileMapping    the mapping for its files (CSV, XLSX, JSON): column names onto canonical fields
 * @param fileMappings   a mapping per file format ({@code csv}, {@code xlsx}, {@code json}, {@code jsonl}) where one
 *                       format's columns differ from the others'; {@code fileMapping} for the rest
 * @param fileSheet      the XLSX sheet to read (null: the first)
 * @param locale         the agency's locale ({@code fr-CA}, {@code en-CA}): how it writes the dates its mappings
 *                       declare no format for ({@link DateOrder})
 * @param sftp           its account on the hub's SFTP server
 * @param pull           where the hub fetches its files, for an agency that keeps them on its own SFTP server
 * @param email          who may refer by e-mail for it, and how its forms' labels map
 * @param mailbox        the agency's own mailbox, polled over IMAP, when it keeps referral mail at home
 * @param notifications  how the agency is told of each status change of its referrals (any of the three channels)
 * @param signedWebhooks the secret its webhook calls are signed with, for an agency that signs rather than sends a key
 * @param fhirMapping    the mapping its FHIR transaction Bundles are read through ({@code fhir-r4}, built in, when absent):
 *                       where in the Patient, Consent, ServiceRequest, Task and Observations each field lives
 */
public record Agency(String id, String name, String program, List<String> apiKeyHashes, String webhookMapping,
                     String fileMapping, Map<String, String> fileMappings, String fileSheet,
                     SftpAccount sftp, FilePull pull, EmailSenders email, Mailbox mailbox, Notify notifications,
                     SignedWebhooks signedWebhooks, String locale, String fhirMapping) {

    /**
     * An agency whose system signs its calls (Standard Webhooks) instead of sending an API key.
     *
     * @param signingSecret {@code whsec_…}, shared with the agency, that its calls are signed with
     */
    public record SignedWebhooks(String signingSecret) {
    }

    /** How the agency writes dates its mappings declare no format for, from its {@code locale} ({@code fr-CA}). */
    @JsonIgnore
    public DateOrder dateOrder() {
        return DateOrder.of(locale);
    }

    public Agency {
        apiKeyHashes = apiKeyHashes == null ? List.of() : List.copyOf(apiKeyHashes);
        webhookMapping = webhookMapping == null ? FieldMappingSet.CANONICAL : webhookMapping;
        fileMapping = fileMapping == null ? FieldMappingSet.CANONICAL : fileMapping;
        fileMappings = fileMappings == null ? Map.of() : Map.copyOf(fileMappings);
        fhirMapping = fhirMapping == null ? FieldMappingSet.FHIR_R4 : fhirMapping;
    }

    /**
     * Where the agency hears of its referrals' progress.
     *
     * @param webhook a signed call (Standard Webhooks) per status change to the agency's URL
     * @param email   an e-mail per status change, or one daily digest
     * @param sftp    rows in a {@code status-<time>.csv} file in its SFTP home's {@code results/} folder
     */
    public record Notify(Webhook webhook, Email email, Boolean sftp) {

        public boolean bySftp() {
            return Boolean.TRUE.equals(sftp);
        }

        /** @param signingSecret Standard Webhooks secret ({@code whsec_…}) the agency verifies calls with */
        public record Webhook(String url, String signingSecret) {
        }

        /** @param digestHourUtc null: one message per change at once; an hour (0-23, UTC): one digest a day then */
        public record Email(String address, Integer digestHourUtc) {
        }
    }

    /** The mapping of a file of this format (as read: csv, xlsx, json, jsonl). */
    public String fileMappingFor(String format) {
        return fileMappings.getOrDefault(format, fileMapping);
    }

    /**
     * An IMAP mailbox of the agency's, polled on a schedule: unseen messages are read without marking them, each
     * remembered by Message-ID (DynamoDB) so none is processed twice, and marked seen once processed.
     *
     * @param passwordRef the mailbox password, by name in the secret store
     */
    public record Mailbox(String host, Integer port, boolean ssl, String username, String passwordRef, String folder) {
    }

    /**
     * E-mail referrals: mail from one of {@code senders} (an address, or {@code @domain} for a whole domain) is
     * this agency's; anything else is quarantined. {@code mapping} maps form labels ("Prénom", "Email"...).
     */
    public record EmailSenders(List<String> senders, String mapping) {
        public EmailSenders {
            senders = senders == null ? List.of() : senders.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        }

        public boolean allows(String address) {
            String a = address.toLowerCase(Locale.ROOT);
            return senders.stream().anyMatch(s -> s.startsWith("@") ? a.endsWith(s) : a.equals(s));
        }
    }

    /**
     * The agency's own SFTP server, polled on a schedule. Every file seen is remembered (DynamoDB), so none is
     * processed twice, across restarts and cold starts; files are left where they are.
     *
     * @param directory        where the agency leaves files
     * @param resultsDirectory where the hub puts each file's results (null: results stay on the hub)
     * @param privateKeyRef    the hub's key for that server, by name in the secret store
     * @param knownHosts       the server's host key(s), known_hosts lines
     */
    public record FilePull(String host, Integer port, String username, String directory, String resultsDirectory,
                           String privateKeyRef, String knownHosts) {
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
