package org.referralhub.config;

import java.time.Instant;
import java.time.ZoneOffset;
import org.referralhub.referral.Referral;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything administrators decide: programs and their eligibility rules, agencies and how their data maps
 * onto the canonical referral, partners and their intake channels, routing rules and delivery retries.
 * Loaded from YAML (see {@link ConfigurationLoader}); data, not code.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record HubConfiguration(
        List<Admin> admins,
        List<Program> programs,
        List<Agency> agencies,
        Map<String, FieldMappingSet> mappings,
        List<Partner> partners,
        RoutingTable routing,
        DeliveryPolicy delivery) {

    public HubConfiguration {
        admins = admins == null ? List.of() : List.copyOf(admins);
        programs = programs == null ? List.of() : List.copyOf(programs);
        agencies = agencies == null ? List.of() : List.copyOf(agencies);
        mappings = mappings == null ? Map.of() : Map.copyOf(mappings);
        partners = partners == null ? List.of() : List.copyOf(partners);
        routing = routing == null ? new RoutingTable(List.of(), null) : routing;
        delivery = delivery == null ? DeliveryPolicy.DEFAULT : delivery;
    }

    public Optional<Agency> agency(String id) {
        return agencies.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    public Optional<Partner> partner(String id) {
        return partners.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * Until when a closed referral is kept: its program's {@code retention.monthsAfterClosed} (24 when the program
     * does not say, or is no longer configured) after it closed — its last status change, or its receipt.
     */
    public Instant retainUntil(Referral referral) {
        int months = program(referral.program()).map(p -> p.retention().monthsAfterClosed())
                .orElse(Program.DEFAULT_MONTHS_AFTER_CLOSED);
        Instant closed = referral.statusHistory().isEmpty() ? referral.source().receivedAt()
                : referral.statusHistory().get(referral.statusHistory().size() - 1).at();
        return closed.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
    }

    public Optional<Program> program(String id) {
        return programs.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * A program administrator of the admin API. {@code tokenHashes} are SHA-256 digests of bearer tokens (locally;
     * in AWS the admin routes are IAM-authorized); {@code email}, where given, is where the hub tells administrators
     * of what needs a person (a partner paused because its endpoint is gone).
     */
    public record Admin(String name, String email, List<String> tokenHashes) {
        public Admin {
            tokenHashes = tokenHashes == null ? List.of() : List.copyOf(tokenHashes);
        }
    }

    /** Where administrators are told of what needs a person: the addresses of those who gave one. */
    public List<String> adminAddresses() {
        return admins.stream().map(Admin::email).filter(e -> e != null && !e.isBlank()).distinct().toList();
    }

    /** The administrator holding this bearer token, by its digest. */
    public Optional<Admin> adminByTokenHash(String hash) {
        return admins.stream().filter(a -> a.tokenHashes().contains(hash)).findFirst();
    }

    /** The agency that allows this sender address to refer by e-mail. */
    public Optional<Agency> agencyByEmailSender(String address) {
        return agencies.stream().filter(a -> a.email() != null && a.email().allows(address)).findFirst();
    }

    /** The agency whose SFTP account has this username. */
    public Optional<Agency> agencyBySftpUser(String username) {
        return agencies.stream().filter(a -> a.sftp() != null && a.sftp().username().equals(username)).findFirst();
    }

    /** The agency holding the API key with this SHA-256 digest. */
    public Optional<Agency> agencyByKeyHash(String hash) {
        return agencies.stream().filter(a -> a.apiKeyHashes().contains(hash)).findFirst();
    }

    /** The partner holding the API key with this SHA-256 digest. */
    public Optional<Partner> partnerByKeyHash(String hash) {
        return partners.stream().filter(p -> p.apiKeyHashes().contains(hash)).findFirst();
    }

    /** The partner whose login on the hub's SFTP server has this username. */
    public Optional<Partner> partnerBySftpUser(String username) {
        return partners.stream().filter(p -> p.sftp() != null && p.sftp().username().equals(username)).findFirst();
    }

    /** Agencies by the SHA-256 of their API keys. */
    public Map<String, Agency> agenciesByKeyHash() {
        return agencies.stream()
                .flatMap(a -> a.apiKeyHashes().stream().map(h -> Map.entry(h, a)))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
