package org.referralhub.config;

import java.util.List;

/**
 * A referral agency. {@code apiKeyHashes} are SHA-256 hex digests of its webhook keys: the keys themselves are
 * shown once and never stored. {@code webhookMapping} names the entry of {@code mappings} that turns the
 * agency's JSON into a canonical referral ({@code canonical} when it already posts the canonical format).
 */
public record Agency(String id, String name, String program, List<String> apiKeyHashes, String webhookMapping) {

    public Agency {
        apiKeyHashes = apiKeyHashes == null ? List.of() : List.copyOf(apiKeyHashes);
        webhookMapping = webhookMapping == null ? FieldMappingSet.CANONICAL : webhookMapping;
    }
}
