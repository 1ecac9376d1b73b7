package org.referralhub.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.referralhub.intake.ReferralMapper;

/**
 * Reads the hub configuration from YAML, fills {@code {{name}}} placeholders (such as the local hub's base URL),
 * and refuses a configuration that would break intake or routing, saying every reason.
 */
public final class ConfigurationLoader {

    /** {@code {{name}}}, or {@code {{name:-default}}} with a value used when none is given. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.]+)(?::-([^}]*))?\\s*}}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigurationLoader() {
    }

    /** Loads from a file path, or from the classpath when the location starts with {@code classpath:}. */
    public static HubConfiguration load(String location, Map<String, String> placeholders) {
        String text;
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length());
                try (InputStream in = ConfigurationLoader.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalArgumentException("no configuration at " + location);
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else {
                text = Files.readString(Path.of(location));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration " + location, e);
        }
        return parse(text, placeholders);
    }

    public static HubConfiguration parse(String yaml, Map<String, String> placeholders) {
        Matcher m = PLACEHOLDER.matcher(yaml);
        StringBuilder filled = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String value = placeholders.getOrDefault(m.group(1), m.group(2));
            if (value == null) {
                missing.add(m.group(1));
                value = m.group();
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        m.appendTail(filled);
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException(List.of("no value for placeholder(s) " + missing));
        }
        HubConfiguration config;
        try {
            config = YAML.readValue(filled.toString(), HubConfiguration.class);
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of("configuration is not valid YAML for the hub: "
                    + e.getMessage()));
        }
        List<String> problems = check(config);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return config;
    }

    /** Every reason the configuration cannot run; empty when it can. */
    public static List<String> check(HubConfiguration config) {
        List<String> problems = new ArrayList<>();
        unique("program", config.programs().stream().map(Program::id).toList(), problems);
        unique("agency", config.agencies().stream().map(Agency::id).toList(), problems);
        unique("partner", config.partners().stream().map(Partner::id).toList(), problems);
        try {
            new ReferralMapper(config.mappings());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        Set<String> keyHashes = new HashSet<>();
        Set<String> sftpUsers = new HashSet<>();
        for (Agency agency : config.agencies()) {
            if (config.program(agency.program()).isEmpty()) {
                problems.add("agency '" + agency.id() + "' refers to program '" + agency.program() + "', which does not exist");
            }
            for (String mapping : java.util.List.of(agency.webhookMapping(), agency.fileMapping())) {
                if (!FieldMappingSet.CANONICAL.equals(mapping) && !config.mappings().containsKey(mapping)) {
                    problems.add("agency '" + agency.id() + "' uses mapping '" + mapping + "', which does not exist");
                }
            }
            if (agency.email() != null) {
                String mapping = agency.email().mapping();
                if (mapping != null && !FieldMappingSet.CANONICAL.equals(mapping) && !config.mappings().containsKey(mapping)) {
                    problems.add("agency '" + agency.id() + "' uses mapping '" + mapping + "', which does not exist");
                }
                if (agency.email().senders().isEmpty()) {
                    problems.add("agency '" + agency.id() + "' takes e-mail but allows no sender");
                }
            }
            if (agency.pull() != null) {
                Agency.FilePull pull = agency.pull();
                for (String[] required : new String[][]{{"host", pull.host()}, {"username", pull.username()},
                        {"privateKeyRef", pull.privateKeyRef()}, {"knownHosts", pull.knownHosts()}}) {
                    if (required[1] == null || required[1].isBlank()) {
                        problems.add("agency '" + agency.id() + "' pulls files without " + required[0]);
                    }
                }
            }
            if (agency.sftp() != null) {
                String user = agency.sftp().username();
                if (user == null || !user.matches("[a-z0-9][a-z0-9_-]{2,31}")) {
                    problems.add("agency '" + agency.id() + "' has an SFTP username that is not 3-32 of a-z 0-9 _ -");
                } else if (!sftpUsers.add(user)) {
                    problems.add("SFTP username '" + user + "' is used twice");
                }
            }
            for (String hash : agency.apiKeyHashes()) {
                if (!hash.matches("[0-9a-f]{64}")) {
                    problems.add("agency '" + agency.id() + "' has an API key hash that is not a SHA-256 hex digest");
                } else if (!keyHashes.add(hash)) {
                    problems.add("agency '" + agency.id() + "' shares an API key with another agency");
                }
            }
        }
        for (Partner partner : config.partners()) {
            Partner.Intake intake = partner.intake();
            if (intake == null || intake.channel() == null) {
                problems.add("partner '" + partner.id() + "' has no intake channel");
            } else if ("webhook".equals(intake.channel())) {
                if (intake.url() == null || !intake.url().matches("https?://.+")) {
                    problems.add("partner '" + partner.id() + "' has a webhook intake without an http(s) URL");
                }
                if (intake.signingSecret() == null || !intake.signingSecret().startsWith("whsec_")) {
                    problems.add("partner '" + partner.id() + "' has a webhook intake without a whsec_ signing secret");
                }
            } else if ("sftp".equals(intake.channel())) {
                for (String[] required : new String[][]{{"host", intake.host()}, {"username", intake.username()},
                        {"privateKeyRef", intake.privateKeyRef()}, {"knownHosts", intake.knownHosts()}}) {
                    if (required[1] == null || required[1].isBlank()) {
                        problems.add("partner '" + partner.id() + "' has an SFTP intake without " + required[0]);
                    }
                }
                if (intake.format() != null && !intake.format().matches("csv|json")) {
                    problems.add("partner '" + partner.id() + "' asks for file format '" + intake.format()
                            + "'; csv and json are offered");
                }
                for (Partner.Column column : intake.columns()) {
                    if (column.header() == null || column.field() == null) {
                        problems.add("partner '" + partner.id() + "' has a column without header or field");
                    }
                }
            } else if ("email".equals(intake.channel())) {
                if (intake.address() == null || !intake.address().matches("[^@\\s]+@[^@\\s]+")) {
                    problems.add("partner '" + partner.id() + "' has an e-mail intake without an address");
                }
            } else {
                problems.add("partner '" + partner.id() + "' uses intake channel '" + intake.channel()
                        + "', which this hub does not deliver to");
            }
        }
        Set<String> ruleIds = new HashSet<>();
        for (RoutingTable.RoutingRule rule : config.routing().rules()) {
            if (rule.id() == null || !ruleIds.add(rule.id())) {
                problems.add("every routing rule needs an id of its own (" + rule.id() + ")");
            }
            if (config.partner(rule.partner()).isEmpty()) {
                problems.add("routing rule '" + rule.id() + "' names partner '" + rule.partner() + "', which does not exist");
            }
            for (String agency : rule.agencies()) {
                if (config.agency(agency).isEmpty()) {
                    problems.add("routing rule '" + rule.id() + "' names agency '" + agency + "', which does not exist");
                }
            }
        }
        String fallback = config.routing().fallbackPartner();
        if (fallback != null && config.partner(fallback).isEmpty()) {
            problems.add("the fallback partner '" + fallback + "' does not exist");
        }
        return problems;
    }

    private static void unique(String what, List<String> ids, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                problems.add("a " + what + " has no id");
            } else if (!seen.add(id)) {
                problems.add(what + " id '" + id + "' is used twice");
            }
        }
    }
}
