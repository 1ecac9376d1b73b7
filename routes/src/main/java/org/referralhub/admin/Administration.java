package org.referralhub.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.referralhub.config.ApiKeys;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.ConfigurationView;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.InvalidConfigurationException;
import org.referralhub.config.PartnerChannel;
import org.referralhub.config.Passwords;
import org.referralhub.config.SecretPlace;
import org.referralhub.delivery.ConfigurationSecrets;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.store.ConfigurationStore;

/**
 * What administrators change: agencies, partners, programs, mappings and routing rules, each change checked against
 * the whole configuration (a change that would break intake or routing is refused with every reason), saved as a
 * new version with who, when and what changed, and in force at once here and within the cache delay everywhere.
 * Secrets — API keys, partners' signing secrets, SFTP passwords — are shown once when the hub makes them, never
 * after, and never in the audit trail.
 */
public final class Administration {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SAVE_ATTEMPTS = 3;
    /** The audit's list of changes stays well within a DynamoDB item, beside the gzipped configuration. */
    private static final int MAX_AUDIT_CHARS = 40_000;

    private final ConfigurationStore store;
    private final Map<String, String> placeholders;
    private final ConfigurationSecrets secrets;
    private final Runnable changed;
    private final Clock clock;
    private final Function<HubConfiguration, List<String>> deploymentChecks;

    /**
     * @param placeholders the values the hub fills into {@code {{name}}} placeholders (to check a change as it will run)
     * @param changed      called after every saved change (the local configuration cache forgets what it read)
     */
    public Administration(ConfigurationStore store, Map<String, String> placeholders,
                          ConfigurationSecrets secrets, Runnable changed, Clock clock) {
        this(store, placeholders, secrets, changed, clock, config -> List.of());
    }

    /**
     * @param deploymentChecks what this deployment refuses beyond what any configuration must be (in AWS: webhook
     *                         addresses in the hub's own network), every reason named
     */
    public Administration(ConfigurationStore store, Map<String, String> placeholders, ConfigurationSecrets secrets,
                          Runnable changed, Clock clock, Function<HubConfiguration, List<String>> deploymentChecks) {
        this.deploymentChecks = deploymentChecks;
        this.store = store;
        this.placeholders = Map.copyOf(placeholders);
        this.secrets = secrets;
        this.changed = changed;
        this.clock = clock;
    }

    /** The kinds of things administrators list, show, create, replace, patch and delete. */
    public enum Kind {
        AGENCIES("agencies", "agency"),
        PARTNERS("partners", "partner"),
        PROGRAMS("programs", "program"),
        RULES("rules", "routing rule"),
        MAPPINGS("mappings", "mapping");

        private final String path;
        private final String noun;

        Kind(String path, String noun) {
            this.path = path;
            this.noun = noun;
        }

        public String noun() {
            return noun;
        }

        public static Optional<Kind> of(String path) {
            for (Kind kind : values()) {
                if (kind.path.equals(path)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The result of reading or changing: the version in force after it, the resource as administrators see it,
     * and any secret the hub just made ({@code apiKey}, {@code signingSecret}) — shown this once.
     */
    public record Answer(long version, JsonNode resource, Map<String, String> secrets) {
        public Answer {
            secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        }
    }

    // ---- reading

    public Answer configuration() {
        ConfigurationStore.Version current = current();
        return new Answer(current.number(), ConfigurationView.redact(current.configuration()), null);
    }

    public Answer list(Kind kind) {
        ConfigurationStore.Version current = current();
        ObjectNode view = ConfigurationView.redact(current.configuration());
        JsonNode items = kind == Kind.MAPPINGS ? mappingList(view) : collection(view, kind, false);
        return new Answer(current.number(), items == null ? JSON.arrayNode() : items, null);
    }

    public Answer get(Kind kind, String id) {
        ConfigurationStore.Version current = current();
        ObjectNode view = ConfigurationView.redact(current.configuration());
        return new Answer(current.number(), find(view, kind, id).orElseThrow(() -> notFound(kind, id)), null);
    }

    public Answer routing() {
        ConfigurationStore.Version current = current();
        return new Answer(current.number(), current.configuration().path("routing").deepCopy(), null);
    }

    // ---- changing one thing

    public Answer create(Kind kind, ObjectNode body, String by, Long ifMatch) {
        Map<String, String> secrets = new LinkedHashMap<>();
        String id = idOf(kind, body);
        Position position = kind == Kind.RULES && body.has("position") ? new Position(body.remove("position").asInt()) : null;
        ConfigurationStore.Version saved = change(by, "created " + kind.noun() + " '" + id + "'", ifMatch, config -> {
            if (find(config, kind, id).isPresent()) {
                throw new AdminRefusal(409, "conflict", "Already exists", "There is already a " + kind.noun()
                        + " '" + id + "'; change it with PUT or PATCH.");
            }
            ObjectNode incoming = writable(kind, body.deepCopy(), null, secrets);
            if (kind == Kind.MAPPINGS) {
                incoming.remove("id");
                mappings(config).set(id, incoming);
            } else {
                ArrayNode items = collection(config, kind, true);
                if (position != null && position.index() >= 0 && position.index() < items.size()) {
                    items.insert(position.index(), incoming);
                } else {
                    items.add(incoming);
                }
            }
        });
        return new Answer(saved.number(), view(saved, kind, id), secrets);
    }

    private record Position(int index) {
    }

    /** Replaces a resource with {@code body}; secrets it does not send (or sends as {@value ConfigurationView#SECRET}) stay. */
    public Answer replace(Kind kind, String id, ObjectNode body, String by, Long ifMatch) {
        body.put("id", id);
        Map<String, String> secrets = new LinkedHashMap<>();
        ConfigurationStore.Version saved = change(by, "replaced " + kind.noun() + " '" + id + "'", ifMatch, config -> {
            ObjectNode existing = find(config, kind, id).orElseThrow(() -> notFound(kind, id));
            put(config, kind, id, writable(kind, body.deepCopy(), existing, secrets));
        });
        return new Answer(saved.number(), view(saved, kind, id), secrets);
    }

    /** Changes part of a resource: a JSON merge patch (RFC 7396) on it. */
    public Answer patch(Kind kind, String id, ObjectNode mergePatch, String by, Long ifMatch) {
        if (mergePatch.has("id") && !id.equals(mergePatch.get("id").asText())) {
            throw new AdminRefusal(400, "invalid-change", "Ids do not change",
                    "A " + kind.noun() + "'s id cannot change; create a new one and delete this one.");
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        ConfigurationStore.Version saved = change(by, "changed " + kind.noun() + " '" + id + "'", ifMatch, config -> {
            ObjectNode existing = find(config, kind, id).orElseThrow(() -> notFound(kind, id));
            ObjectNode merged = existing.deepCopy();
            ObjectNode patch = mergePatch.deepCopy();
            patch.remove("apiKeys");
            mergePatch(merged, patch);
            put(config, kind, id, writable(kind, merged, existing, secrets));
        });
        return new Answer(saved.number(), view(saved, kind, id), secrets);
    }

    public Answer delete(Kind kind, String id, String by, Long ifMatch) {
        ConfigurationStore.Version saved = change(by, "deleted " + kind.noun() + " '" + id + "'", ifMatch, config -> {
            find(config, kind, id).orElseThrow(() -> notFound(kind, id));
            if (kind == Kind.MAPPINGS) {
                mappings(config).remove(id);
            } else {
                ArrayNode items = collection(config, kind, true);
                for (int i = 0; i < items.size(); i++) {
                    if (id.equals(items.get(i).path("id").asText())) {
                        items.remove(i);
                        break;
                    }
                }
            }
        });
        return new Answer(saved.number(), null, null);
    }

    /** Moves a routing rule to {@code position} (0: first) in the ordered list. */
    public Answer moveRule(String id, int position, String by, Long ifMatch) {
        ConfigurationStore.Version saved = change(by, "moved routing rule '" + id + "' to position " + position, ifMatch,
                config -> {
                    ArrayNode rules = collection(config, Kind.RULES, true);
                    int from = -1;
                    for (int i = 0; i < rules.size(); i++) {
                        if (id.equals(rules.get(i).path("id").asText())) {
                            from = i;
                        }
                    }
                    if (from < 0) {
                        throw notFound(Kind.RULES, id);
                    }
                    if (position < 0 || position >= rules.size()) {
                        throw new AdminRefusal(400, "invalid-change", "No such position",
                                "A position is from 0 to " + (rules.size() - 1) + ".");
                    }
                    JsonNode rule = rules.remove(from);
                    rules.insert(position, rule);
                });
        return new Answer(saved.number(), saved.configuration().path("routing").deepCopy(), null);
    }

    /** Replaces the whole routing table: the ordered rules and the fallback partner. */
    public Answer replaceRouting(ObjectNode routing, String by, Long ifMatch) {
        ConfigurationStore.Version saved = change(by, "replaced the routing table", ifMatch,
                config -> config.set("routing", routing.deepCopy()));
        return new Answer(saved.number(), saved.configuration().path("routing").deepCopy(), null);
    }

    // ---- secrets

    /**
     * A new API key for an agency or a partner, shown this once; with {@code revokeOthers}, every other key stops
     * working.
     */
    public Answer createKey(Kind kind, String ownerId, boolean revokeOthers, String by) {
        String key = kind == Kind.PARTNERS ? ApiKeys.generateForPartner(ownerId) : ApiKeys.generate(ownerId);
        String hash = ApiKeys.hash(key);
        ConfigurationStore.Version saved = change(by, (revokeOthers ? "rotated" : "added") + " an API key of "
                + kind.noun() + " '" + ownerId + "' (key " + ConfigurationView.keyId(hash) + ")", null, config -> {
            ObjectNode owner = find(config, kind, ownerId).orElseThrow(() -> notFound(kind, ownerId));
            ArrayNode hashes = revokeOthers || !owner.path("apiKeyHashes").isArray()
                    ? owner.putArray("apiKeyHashes") : (ArrayNode) owner.get("apiKeyHashes");
            hashes.add(hash);
        });
        ObjectNode resource = JSON.objectNode().put(kind.noun() + "Id", ownerId).put("keyId", ConfigurationView.keyId(hash));
        resource.set("apiKeys", view(saved, kind, ownerId).get("apiKeys"));
        return new Answer(saved.number(), resource, Map.of("apiKey", key));
    }

    public Answer createKey(String agencyId, boolean revokeOthers, String by) {
        return createKey(Kind.AGENCIES, agencyId, revokeOthers, by);
    }

    public Answer revokeKey(Kind kind, String ownerId, String keyId, String by) {
        ConfigurationStore.Version saved = change(by, "revoked API key " + keyId + " of " + kind.noun() + " '" + ownerId + "'",
                null, config -> {
                    ObjectNode owner = find(config, kind, ownerId).orElseThrow(() -> notFound(kind, ownerId));
                    ArrayNode hashes = owner.withArray("apiKeyHashes");
                    for (int i = 0; i < hashes.size(); i++) {
                        if (ConfigurationView.keyId(hashes.get(i).asText()).equals(keyId)) {
                            hashes.remove(i);
                            return;
                        }
                    }
                    throw AdminRefusal.notFound("API key " + keyId + " of " + kind.noun() + " '" + ownerId + "'");
                });
        return new Answer(saved.number(), view(saved, kind, ownerId), null);
    }

    public Answer revokeKey(String agencyId, String keyId, String by) {
        return revokeKey(Kind.AGENCIES, agencyId, keyId, by);
    }

    /** A new webhook signing secret for a partner, shown this once: give it to the partner to verify signatures. */
    public Answer rotateSigningSecret(String partnerId, String by) {
        String secret = signingSecret();
        ConfigurationStore.Version saved = change(by, "rotated the signing secret of partner '" + partnerId + "'", null,
                config -> {
                    ObjectNode partner = find(config, Kind.PARTNERS, partnerId)
                            .orElseThrow(() -> notFound(Kind.PARTNERS, partnerId));
                    if (PartnerChannel.kindOf(partner.get("intake")).orElse(null) != Channel.WEBHOOK) {
                        throw new AdminRefusal(400, "invalid-change", "No webhook",
                                "Partner '" + partnerId + "' does not take referrals by webhook: nothing is signed.");
                    }
                    ((ObjectNode) partner.get("intake")).put("signingSecret", secret);
                });
        return new Answer(saved.number(), view(saved, Kind.PARTNERS, partnerId), Map.of("signingSecret", secret));
    }

    // ---- the whole configuration, versions and restore

    /**
     * Replaces the whole configuration (an import of a YAML or JSON file). Secrets sent as
     * {@value ConfigurationView#SECRET} keep their current values; without {@code admins}, the administrators stay.
     */
    public Answer importConfiguration(ObjectNode incoming, String by, Long ifMatch) {
        ConfigurationStore.Version saved = change(by, "imported a configuration", ifMatch, config -> {
            ObjectNode next = incoming.deepCopy();
            if (!next.has("admins") && config.has("admins")) {
                next.set("admins", config.get("admins"));
            }
            for (Kind kind : List.of(Kind.AGENCIES, Kind.PARTNERS)) {
                for (JsonNode item : next.path(kind.path)) {
                    if (!(item instanceof ObjectNode o)) {
                        continue;   // not a mapping: the check after the edit says so
                    }
                    ObjectNode existing = find(config, kind, o.path("id").asText()).orElse(null);
                    if (o.has("apiKeys")) {
                        o.remove("apiKeys");
                        if (!o.has("apiKeyHashes") && existing != null && existing.has("apiKeyHashes")) {
                            o.set("apiKeyHashes", existing.get("apiKeyHashes"));
                        }
                    }
                    keepSecrets(kind.path, o, existing);
                }
            }
            config.removeAll();
            config.setAll(next);
        });
        return new Answer(saved.number(), ConfigurationView.redact(saved.configuration()), null);
    }

    /**
     * The configuration in force with a proposed change merged in (JSON merge patch), checked as a save would check
     * it, and not saved: what the sandbox runs a sample against.
     */
    public HubConfiguration propose(ObjectNode mergePatch) {
        ObjectNode next = current().configuration().deepCopy();
        mergePatch(next, mergePatch);
        try {
            return ConfigurationLoader.resolve(next, placeholders, secrets);
        } catch (InvalidConfigurationException invalid) {
            throw new AdminRefusal(422, "invalid-configuration", "The proposed change would break the hub",
                    invalid.problems().size() + " problem(s) in the proposal.", invalid.problems());
        }
    }

    /** The audit trail, newest first. */
    public List<Map<String, Object>> history(int limit, Long before) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConfigurationStore.Version v : store.history(Math.max(1, Math.min(limit, 100)), before)) {
            out.add(entry(v, false));
        }
        return out;
    }

    /** One version: its audit record and the configuration as it was (secrets out). */
    public Map<String, Object> version(long number) {
        return entry(store.version(number).orElseThrow(() -> AdminRefusal.notFound("configuration version " + number)),
                true);
    }

    /**
     * Brings back an earlier version, as a new version. Credentials stay as they are now: an API key revoked since is
     * not revived, a rotated signing secret not rolled back, the administrators not changed.
     */
    public Answer restore(long number, String by) {
        ConfigurationStore.Version earlier = store.version(number)
                .orElseThrow(() -> AdminRefusal.notFound("configuration version " + number));
        ConfigurationStore.Version saved = change(by, "restored version " + number, null, number, config -> {
            ObjectNode next = earlier.configuration().deepCopy();
            next.remove("admins");
            if (config.has("admins")) {
                next.set("admins", config.get("admins"));
            }
            for (Kind kind : List.of(Kind.AGENCIES, Kind.PARTNERS)) {
                for (JsonNode item : next.path(kind.path)) {
                    if (!(item instanceof ObjectNode o)) {
                        continue;
                    }
                    Optional<ObjectNode> now = find(config, kind, o.path("id").asText());
                    // keys and passwords as they are now (none for what was deleted since); signing secrets too
                    o.remove("apiKeyHashes");
                    now.map(n -> n.get("apiKeyHashes")).ifPresent(h -> o.set("apiKeyHashes", h));
                    for (SecretPlace place : SecretPlace.values()) {
                        if (place.collection().equals(kind.path) && place.holderIn(o).isPresent()) {
                            ObjectNode holder = place.holderIn(o).orElseThrow();
                            JsonNode current = now.flatMap(place::valueIn).orElse(null);
                            if (current != null) {
                                holder.set(place.field(), current);
                            } else if (!place.kept()) {
                                holder.remove(place.field());
                            }
                        }
                    }
                }
            }
            config.removeAll();
            config.setAll(next);
        });
        return new Answer(saved.number(), ConfigurationView.redact(saved.configuration()), null);
    }

    // ---- the machinery

    private ConfigurationStore.Version current() {
        return store.current().orElseThrow(() -> new AdminRefusal(503, "unavailable", "No configuration",
                "The hub has no configuration yet."));
    }

    private ConfigurationStore.Version change(String by, String summary, Long ifMatch, Consumer<ObjectNode> edit) {
        return change(by, summary, ifMatch, null, edit);
    }

    /**
     * Applies {@code edit} to the version in force, checks the result, and saves it as the next version; when another
     * administrator saved in between, the edit is applied again to theirs (unless the caller named the version it
     * changed with If-Match: then it is refused).
     */
    private ConfigurationStore.Version change(String by, String summary, Long ifMatch, Long restoredFrom,
                                              Consumer<ObjectNode> edit) {
        for (int attempt = 1; ; attempt++) {
            ConfigurationStore.Version current = current();
            if (ifMatch != null && ifMatch != current.number()) {
                throw new AdminRefusal(412, "version-mismatch", "The configuration changed",
                        "You changed version " + ifMatch + "; version " + current.number()
                                + " is in force now. Read it again and repeat the change.");
            }
            ObjectNode next = current.configuration().deepCopy();
            edit.accept(next);
            // a signing secret sent or made goes to the secret store; the configuration keeps its name
            secrets.seal(next);
            try {
                List<String> refused = deploymentChecks.apply(ConfigurationLoader.resolve(next, placeholders, secrets));
                if (!refused.isEmpty()) {
                    throw new InvalidConfigurationException(refused);
                }
            } catch (InvalidConfigurationException invalid) {
                throw new AdminRefusal(422, "invalid-configuration", "The change would break the hub",
                        invalid.problems().size() == 1 ? "1 problem; nothing was changed."
                                : invalid.problems().size() + " problems; nothing was changed.", invalid.problems());
            }
            List<Map<String, Object>> changes = new ArrayList<>(ConfigurationView.diff(
                    ConfigurationView.redact(current.configuration()), ConfigurationView.redact(next)));
            changes.addAll(ConfigurationView.secretChanges(current.configuration(), next));
            if (changes.isEmpty()) {
                return current;
            }
            try {
                ConfigurationStore.Version saved = store.save(current.number(), next, new ConfigurationStore.Audit(by,
                        clock.instant(), summary, CanonicalJson.MAPPER.valueToTree(recorded(changes)),
                        restoredFrom));
                changed.run();
                return saved;
            } catch (ConfigurationStore.ConcurrentChange raced) {
                if (ifMatch != null || attempt >= SAVE_ATTEMPTS) {
                    throw new AdminRefusal(409, "conflict", "Changed meanwhile",
                            "Another administrator changed the configuration at the same moment; try again.");
                }
            } catch (IllegalArgumentException tooLarge) {
                throw new AdminRefusal(422, "invalid-configuration", "The change would break the hub",
                        tooLarge.getMessage(), List.of(tooLarge.getMessage()));
            }
        }
    }

    /**
     * The changes as the audit records them: all of them, unless a whole import changed so much that listing every
     * one would not fit beside the configuration in its version's item; then the first ones and how many in all.
     */
    static List<Map<String, Object>> recorded(List<Map<String, Object>> changes) {
        if (CanonicalJson.write(changes).length() <= MAX_AUDIT_CHARS) {
            return changes;
        }
        List<Map<String, Object>> kept = new ArrayList<>();
        int size = 0;
        for (Map<String, Object> change : changes) {
            size += CanonicalJson.write(change).length();
            if (size > MAX_AUDIT_CHARS / 2) {
                break;
            }
            kept.add(change);
        }
        Map<String, Object> rest = new LinkedHashMap<>();
        rest.put("op", "more");
        rest.put("count", changes.size() - kept.size());
        kept.add(rest);
        return kept;
    }

    /**
     * What an administrator sent, made ready to store: secrets the hub makes (a new webhook partner's signing
     * secret) made and remembered to show once; secrets not sent kept; a plain SFTP password digested.
     */
    private static ObjectNode writable(Kind kind, ObjectNode body, ObjectNode existing, Map<String, String> secrets) {
        switch (kind) {
            case AGENCIES -> {
                keepKeys(body, existing, "agencies");
                digestPassword(body);
                keepSecrets("agencies", body, existing);
                JsonNode hook = body.at("/notifications/webhook");
                if (hook.isObject() && !hook.hasNonNull("signingSecret")) {
                    String secret = signingSecret();
                    ((ObjectNode) hook).put("signingSecret", secret);
                    secrets.put("notificationSigningSecret", secret);
                }
            }
            case PARTNERS -> {
                keepKeys(body, existing, "partners");
                digestPassword(body);
                keepSecrets("partners", body, existing);
                ObjectNode intake = body.path("intake").isObject() ? (ObjectNode) body.get("intake") : null;
                if (intake != null && PartnerChannel.kindOf(intake).orElse(null) == Channel.WEBHOOK
                        && !intake.hasNonNull("signingSecret")) {
                    String secret = signingSecret();
                    intake.put("signingSecret", secret);
                    secrets.put("signingSecret", secret);
                }
            }
            default -> {
            }
        }
        return body;
    }

    /** A secret sent as the mask, or not at all, keeps the value it has; {@code path} leads to its object. */
    private static void keepSecrets(String collection, ObjectNode body, ObjectNode existing) {
        for (SecretPlace place : SecretPlace.values()) {
            if (place.collection().equals(collection)) {
                keepSecret(body, existing, place);
            }
        }
    }

    private static void keepSecret(ObjectNode body, ObjectNode existing, SecretPlace place) {
        ObjectNode holder = place.holderIn(body).orElse(null);
        if (holder == null) {
            return;
        }
        JsonNode sent = holder.get(place.field());
        if (sent == null || sent.isNull() || ConfigurationView.SECRET.equals(sent.asText())) {
            holder.remove(place.field());
            JsonNode kept = existing == null ? null : place.valueIn(existing).orElse(null);
            if (kept != null) {
                holder.set(place.field(), kept);
            } else if (sent != null && ConfigurationView.SECRET.equals(sent.asText())) {
                throw new AdminRefusal(400, "invalid-change", "No secret to keep",
                        place.path() + " is " + ConfigurationView.SECRET + " but there is no current value to keep.");
            }
        }
    }

    /** Keys are made by the hub: a body may not set them, and keeps the ones there are. */
    private static void keepKeys(ObjectNode body, ObjectNode existing, String collection) {
        if (body.has("apiKeyHashes") && (existing == null || !body.get("apiKeyHashes").equals(existing.get("apiKeyHashes")))) {
            throw new AdminRefusal(400, "invalid-change", "Keys are made by the hub", "Create, rotate and revoke API keys with /admin/v1/"
                    + collection + "/{id}/keys; the hub never takes a key or its digest.");
        }
        body.remove("apiKeys");
        body.remove("apiKeyHashes");
        if (existing != null && existing.has("apiKeyHashes")) {
            body.set("apiKeyHashes", existing.get("apiKeyHashes"));
        }
    }

    /** An SFTP password sent in plain ({@code sftp.password}) is digested at once. */
    private static void digestPassword(ObjectNode body) {
        if (!body.path("sftp").isObject()) {
            return;
        }
        ObjectNode sftp = (ObjectNode) body.get("sftp");
        JsonNode password = sftp.remove("password");
        if (password != null && password.isTextual()) {
            if (password.asText().length() < 12) {
                throw new AdminRefusal(400, "invalid-change", "Password too short",
                        "An SFTP password has at least 12 characters (or use authorizedKeys).");
            }
            sftp.put("passwordHash", Passwords.hash(password.asText()));
        }
    }

    private static String signingSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    private Map<String, Object> entry(ConfigurationStore.Version v, boolean withConfiguration) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", v.number());
        out.put("by", v.audit().by());
        out.put("at", v.audit().at());
        out.put("summary", v.audit().summary());
        if (v.audit().restoredFrom() != null) {
            out.put("restoredFrom", v.audit().restoredFrom());
        }
        out.put("changes", v.audit().changes());
        if (withConfiguration) {
            out.put("configuration", ConfigurationView.redact(v.configuration()));
        }
        return out;
    }

    private static String idOf(Kind kind, ObjectNode body) {
        String id = body.path("id").asText("");
        if (!id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new AdminRefusal(400, "invalid-change", "A " + kind.noun() + " needs an id",
                    "Send an id of 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        return id;
    }

    private static AdminRefusal notFound(Kind kind, String id) {
        return AdminRefusal.notFound(kind.noun() + " '" + id + "'");
    }

    private static JsonNode view(ConfigurationStore.Version saved, Kind kind, String id) {
        return find(ConfigurationView.redact(saved.configuration()), kind, id).orElse(null);
    }

    private static ObjectNode mappings(ObjectNode config) {
        return config.path("mappings").isObject() ? (ObjectNode) config.get("mappings") : config.putObject("mappings");
    }

    private static ArrayNode mappingList(ObjectNode config) {
        ArrayNode out = JSON.arrayNode();
        config.path("mappings").fields().forEachRemaining(e -> {
            ObjectNode m = JSON.objectNode().put("id", e.getKey());
            m.setAll((ObjectNode) e.getValue());
            out.add(m);
        });
        return out;
    }

    private static ArrayNode collection(ObjectNode config, Kind kind, boolean create) {
        ObjectNode holder = config;
        String field = kind.path;
        if (kind == Kind.RULES) {
            if (!config.path("routing").isObject()) {
                if (!create) {
                    return null;
                }
                config.putObject("routing");
            }
            holder = (ObjectNode) config.get("routing");
        }
        if (!holder.path(field).isArray()) {
            if (!create) {
                return null;
            }
            holder.putArray(field);
        }
        return (ArrayNode) holder.get(field);
    }

    private static Optional<ObjectNode> find(ObjectNode config, Kind kind, String id) {
        if (kind == Kind.MAPPINGS) {
            JsonNode m = config.path("mappings").get(id);
            if (m == null || !m.isObject()) {
                return Optional.empty();
            }
            ObjectNode out = JSON.objectNode().put("id", id);
            out.setAll((ObjectNode) m);
            return Optional.of(out);
        }
        ArrayNode items = collection(config, kind, false);
        if (items == null) {
            return Optional.empty();
        }
        for (JsonNode item : items) {
            if (id.equals(item.path("id").asText())) {
                return Optional.of((ObjectNode) item);
            }
        }
        return Optional.empty();
    }

    private static void put(ObjectNode config, Kind kind, String id, ObjectNode value) {
        if (kind == Kind.MAPPINGS) {
            value.remove("id");
            mappings(config).set(id, value);
            return;
        }
        ArrayNode items = collection(config, kind, true);
        for (int i = 0; i < items.size(); i++) {
            if (id.equals(items.get(i).path("id").asText())) {
                items.set(i, value);
                return;
            }
        }
    }

    /** RFC 7396: objects merge member by member, null removes, anything else replaces. */
    static void mergePatch(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(e.getKey());
            } else if (value.isObject() && target.path(e.getKey()).isObject()) {
                mergePatch((ObjectNode) target.get(e.getKey()), (ObjectNode) value);
            } else {
                target.set(e.getKey(), value);
            }
        }
    }
}
