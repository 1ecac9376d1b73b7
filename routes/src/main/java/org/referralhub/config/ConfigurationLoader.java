package org.referralhub.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.referralhub.intake.ReferralMapper;
import org.referralhub.referral.Client;
import org.referralhub.routing.ReferralRouter;

/**
 * Reads the hub configuration from YAML, fills {@code {{name}}} placeholders (such as the local hub's base URL),
 * and refuses a configuration that would break intake or routing, saying every reason.
 */
public final class ConfigurationLoader {

    /** {@code {{name}}}, or {@code {{name:-default}}} with a value used when none is given. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.]+)(?::-([^}]*))?\\s*}}");
    /**
     * {@code {{secret:name}}}: a secret by its name in the secret store (Secrets Manager in AWS, the local key store),
     * filled in when the configuration is read and never written back.
     */
    public static final Pattern SECRET = Pattern.compile("\\{\\{secret:([A-Za-z0-9._-]{1,100})}}");
    /** For a configuration read where no secret store is at hand: every secret it names is missing. */
    public static final Function<String, String> NO_SECRETS = name -> null;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigurationLoader() {
    }

    /** Loads from a file path, or from the classpath when the location starts with {@code classpath:}. */
    public static HubConfiguration load(String location, Map<String, String> placeholders) {
        return resolve(read(location), placeholders, NO_SECRETS);
    }

    /** As {@link #load(String, Map)}, with the {@code {{secret:name}}} it holds filled from {@code secrets}. */
    public static HubConfiguration load(String location, Map<String, String> placeholders,
                                        Function<String, String> secrets) {
        return resolve(read(location), placeholders, secrets);
    }

    /**
     * The configuration as written, placeholders unfilled: what the hub stores, so a placeholder (the local hub's
     * ports, say) is filled afresh on every start.
     */
    public static ObjectNode read(String location) {
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
        return readText(text);
    }

    /** YAML (or JSON, which is YAML) text as a configuration tree, placeholders unfilled. */
    public static ObjectNode readText(String yaml) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return YAML.createObjectNode();
            }
            if (!tree.isObject()) {
                throw new InvalidConfigurationException(List.of("a configuration is a mapping of admins, programs, "
                        + "agencies, mappings, partners, routing and delivery"));
            }
            return (ObjectNode) tree;
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of("configuration is not valid YAML: "
                    + firstLine(e.getMessage())));
        }
    }

    public static HubConfiguration parse(String yaml, Map<String, String> placeholders) {
        return resolve(readText(yaml), placeholders, NO_SECRETS);
    }

    /**
     * Fills the {@code {{name}}} placeholders of every text value, reads the tree as a configuration and checks it.
     *
     * @throws InvalidConfigurationException with every reason it cannot run
     */
    public static HubConfiguration resolve(JsonNode raw, Map<String, String> placeholders) {
        return resolve(raw, placeholders, NO_SECRETS);
    }

    /**
     * As {@link #resolve(JsonNode, Map)}, with {@code {{secret:name}}} filled from {@code secrets} (null: no such
     * secret).
     */
    public static HubConfiguration resolve(JsonNode raw, Map<String, String> placeholders,
                                           Function<String, String> secrets) {
        List<String> missing = new ArrayList<>();
        List<String> missingSecrets = new ArrayList<>();
        JsonNode filled = fill(raw.deepCopy(), placeholders, secrets, missing, missingSecrets);
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException(List.of("no value for placeholder(s) " + missing));
        }
        if (!missingSecrets.isEmpty()) {
            throw new InvalidConfigurationException(List.of("no secret named " + missingSecrets
                    + " in the secret store"));
        }
        // a partner's intake is read by its channel: one that names none this hub knows is said here, and left out
        List<String> problems = new ArrayList<>();
        for (JsonNode partner : filled.path("partners")) {
            if (partner instanceof ObjectNode object) {
                PartnerChannel.unreadable(object.path("id").asText(), object.get("intake")).ifPresent(problem -> {
                    problems.add(problem);
                    object.remove("intake");
                });
            }
        }
        HubConfiguration config;
        try {
            config = YAML.treeToValue(filled, HubConfiguration.class);
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of("the configuration does not read: "
                    + describe(e)));
        }
        problems.addAll(check(config));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return config;
    }

    /** Where a tree failed to read as a configuration and why, in the administrator's words, without the value. */
    private static String describe(IOException e) {
        if (e instanceof JsonMappingException mapping) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            if (e instanceof UnrecognizedPropertyException unknown) {
                return "'" + path + "' is not a setting the hub knows (known here: " + unknown.getKnownPropertyIds() + ")";
            }
            if (mapping.getCause() instanceof IllegalArgumentException choice && choice.getMessage() != null) {
                return "'" + path + "' has a value the hub does not know: " + choice.getMessage();   // one of a few words
            }
            return "'" + path + "' has a value of the wrong kind";
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static JsonNode fill(JsonNode node, Map<String, String> placeholders, Function<String, String> secrets,
                                 List<String> missing, List<String> missingSecrets) {
        if (node.isTextual()) {
            String text = node.asText();
            if (!text.contains("{{")) {
                return node;
            }
            Matcher secret = SECRET.matcher(text);
            if (secret.matches()) {
                String value = secrets.apply(secret.group(1));
                if (value == null) {
                    missingSecrets.add(secret.group(1));
                    return node;
                }
                return TextNode.valueOf(value);
            }
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder filled = new StringBuilder();
            while (m.find()) {
                String value = placeholders.getOrDefault(m.group(1), m.group(2));
                if (value == null) {
                    missing.add(m.group(1));
                    value = m.group();
                }
                m.appendReplacement(filled, Matcher.quoteReplacement(value));
            }
            m.appendTail(filled);
            return TextNode.valueOf(filled.toString());
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, fill(object.get(name), placeholders, secrets, missing, missingSecrets));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, fill(array.get(i), placeholders, secrets, missing, missingSecrets));
            }
        }
        return node;
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
        for (HubConfiguration.Admin admin : config.admins()) {
            if (admin.email() != null && !admin.email().matches("[^@\\s]+@[^@\\s]+")) {
                problems.add("admin '" + admin.name() + "' has an e-mail that is not an address");
            }
        }
        Set<String> keyHashes = new HashSet<>();
        Set<String> sftpUsers = new HashSet<>();
        for (Agency agency : config.agencies()) {
            if (agency.locale() != null) {
                try {
                    new Locale.Builder().setLanguageTag(agency.locale());
                } catch (IllformedLocaleException e) {
                    problems.add("agency '" + agency.id() + "' has locale '" + agency.locale()
                            + "', which is not a language tag (fr-CA, en-CA)");
                }
            }
            if (config.program(agency.program()).isEmpty()) {
                problems.add("agency '" + agency.id() + "' refers to program '" + agency.program() + "', which does not exist");
            }
            List<String> named = new ArrayList<>(List.of(agency.webhookMapping(), agency.fileMapping(), agency.fhirMapping()));
            agency.fileMappings().forEach((format, mapping) -> {
                named.add(mapping);
                if (!List.of("csv", "xlsx", "json", "jsonl").contains(format)) {
                    problems.add("agency '" + agency.id() + "' maps file format '" + format
                            + "'; the formats are csv, xlsx, json and jsonl");
                }
            });
            for (String mapping : named) {
                if (!FieldMappingSet.isBuiltIn(mapping) && !config.mappings().containsKey(mapping)) {
                    problems.add("agency '" + agency.id() + "' uses mapping '" + mapping + "', which does not exist");
                }
            }
            if (agency.email() != null) {
                String mapping = agency.email().mapping();
                if (mapping != null && !FieldMappingSet.isBuiltIn(mapping) && !config.mappings().containsKey(mapping)) {
                    problems.add("agency '" + agency.id() + "' uses mapping '" + mapping + "', which does not exist");
                }
                if (agency.email().senders().isEmpty()) {
                    problems.add("agency '" + agency.id() + "' takes e-mail but allows no sender");
                }
            }
            if (agency.signedWebhooks() != null && (agency.signedWebhooks().signingSecret() == null
                    || !agency.signedWebhooks().signingSecret().startsWith("whsec_"))) {
                problems.add("agency '" + agency.id() + "' signs its webhooks without a whsec_ signing secret");
            }
            if (agency.notifications() != null) {
                Agency.Notify notify = agency.notifications();
                if (notify.webhook() != null) {
                    WebhookAddress.problem(notify.webhook().url()).ifPresent(problem ->
                            problems.add("agency '" + agency.id() + "' is told by webhook with " + problem));
                    if (notify.webhook().signingSecret() == null || !notify.webhook().signingSecret().startsWith("whsec_")) {
                        problems.add("agency '" + agency.id() + "' is told by webhook without a whsec_ signing secret");
                    }
                }
                if (notify.email() != null && (notify.email().address() == null || !notify.email().address().matches("[^@\\s]+@[^@\\s]+")
                        || notify.email().digestHourUtc() != null && (notify.email().digestHourUtc() < 0 || notify.email().digestHourUtc() > 23))) {
                    problems.add("agency '" + agency.id() + "' is told by e-mail without an address, or with a digest hour outside 0-23");
                }
                if (notify.bySftp() && agency.sftp() == null) {
                    problems.add("agency '" + agency.id() + "' is told over SFTP but has no SFTP account");
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
            checkPartner(partner, problems);
            for (String hash : partner.apiKeyHashes()) {
                if (!hash.matches("[0-9a-f]{64}")) {
                    problems.add("partner '" + partner.id() + "' has an API key hash that is not a SHA-256 hex digest");
                } else if (!keyHashes.add(hash)) {
                    problems.add("partner '" + partner.id() + "' shares an API key with another agency or partner");
                }
            }
            if (partner.sftp() != null) {
                String user = partner.sftp().username();
                if (user == null || !user.matches("[a-z0-9][a-z0-9_-]{2,31}")) {
                    problems.add("partner '" + partner.id() + "' has an SFTP username that is not 3-32 of a-z 0-9 _ -");
                } else if (!sftpUsers.add(user)) {
                    problems.add("SFTP username '" + user + "' is used twice");
                }
            }
            if (partner.intake() != null) {   // without one, the reading said why
                problems.addAll(partner.intake().problems(partner.id()));
            }
        }
        problems.addAll(config.delivery().problems());
        checkRouting(config, problems);
        return problems;
    }

    private static void checkPartner(Partner partner, List<String> problems) {
        Partner.Capacity capacity = partner.capacity();
        if (!List.of(Partner.Capacity.ACCEPTING, Partner.Capacity.WAITLIST, Partner.Capacity.FULL).contains(capacity.status())) {
            problems.add("partner '" + partner.id() + "' has capacity '" + capacity.status()
                    + "'; it must be accepting, waitlist or full");
        }
        if (capacity.monthlyQuota() != null && capacity.monthlyQuota() < 0) {
            problems.add("partner '" + partner.id() + "' has a negative monthly quota");
        }
        for (String sector : partner.sectors()) {
            if (!Sectors.known(sector)) {
                problems.add("partner '" + partner.id() + "' names sector '" + sector + "', which is not one of "
                        + Sectors.names());
            }
        }
        for (String field : partner.fields()) {
            if (!PARTNER_FIELDS.contains(field)) {
                problems.add("partner '" + partner.id() + "' selects field '" + field
                        + "', which is not a field partners receive (client.firstName, client.email, ...)");
            }
        }
    }

    /** The client fields of the partner view a partner may select. */
    static final Set<String> PARTNER_FIELDS = Arrays.stream(Client.class.getRecordComponents())
            .map(c -> "client." + c.getName()).collect(Collectors.toUnmodifiableSet());

    private static void checkRouting(HubConfiguration config, List<String> problems) {
        Set<String> ruleIds = new HashSet<>();
        List<RoutingTable.RoutingRule> rules = config.routing().rules();
        for (int i = 0; i < rules.size(); i++) {
            RoutingTable.RoutingRule rule = rules.get(i);
            if (rule.id() == null || !rule.id().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                problems.add("every routing rule needs an id of letters, digits, '-', '_' or '.' (" + rule.id() + ")");
            } else if (!ruleIds.add(rule.id()) || ReferralRouter.FALLBACK_RULE.equals(rule.id())) {
                problems.add("routing rule id '" + rule.id() + "' is used twice or reserved");
            }
            if (rule.partner() != null && !rule.partners().isEmpty()) {
                problems.add("routing rule '" + rule.id() + "' names both partner and partners; use one");
            }
            if (rule.candidates().isEmpty()) {
                problems.add("routing rule '" + rule.id() + "' names no partner");
            }
            for (String partner : rule.candidates()) {
                if (config.partner(partner).isEmpty()) {
                    problems.add("routing rule '" + rule.id() + "' names partner '" + partner + "', which does not exist");
                }
            }
            if (!RoutingTable.RoutingRule.STRATEGIES.contains(rule.strategy())) {
                problems.add("routing rule '" + rule.id() + "' uses strategy '" + rule.strategy() + "'; it must be one of "
                        + RoutingTable.RoutingRule.STRATEGIES);
            }
            for (String agency : rule.agencies()) {
                if (config.agency(agency).isEmpty()) {
                    problems.add("routing rule '" + rule.id() + "' names agency '" + agency + "', which does not exist");
                }
            }
            for (String sector : rule.sectors()) {
                if (!Sectors.known(sector)) {
                    problems.add("routing rule '" + rule.id() + "' names sector '" + sector + "', which is not one of "
                            + Sectors.names());
                }
            }
            for (int j = 0; j < i; j++) {
                if (catchesAll(rules.get(j), rule)) {
                    problems.add("routing rule '" + rule.id() + "' can never be reached: rule '" + rules.get(j).id()
                            + "' comes first and takes every referral it would (to send overflow elsewhere, list more "
                            + "partners in '" + rules.get(j).id() + "')");
                    break;
                }
            }
        }
        String fallback = config.routing().fallbackPartner();
        if (fallback != null && config.partner(fallback).isEmpty()) {
            problems.add("the fallback partner '" + fallback + "' does not exist");
        }
    }

    /** Every referral {@code later} matches, {@code earlier} matches too. */
    static boolean catchesAll(RoutingTable.RoutingRule earlier, RoutingTable.RoutingRule later) {
        return within(earlier.agencies(), later.agencies(), false)
                && within(earlier.postalPrefixes(), later.postalPrefixes(), true)
                && within(earlier.occupationCodes(), later.occupationCodes(), true)
                && within(earlier.sectors(), later.sectors(), false)
                && within(earlier.languages(), later.languages(), false);
    }

    /** A condition of the earlier rule admits everything the later one's admits. */
    private static boolean within(List<String> earlier, List<String> later, boolean prefixes) {
        if (earlier.isEmpty()) {
            return true;
        }
        if (later.isEmpty()) {
            return false;
        }
        Function<String, String> norm = v -> v.replace(" ", "").toUpperCase(Locale.ROOT);
        return later.stream().allMatch(l -> earlier.stream().anyMatch(e -> prefixes
                ? norm.apply(l).startsWith(norm.apply(e)) : e.equals(l)));
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
