package org.referralhub.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.SecretPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration's secrets kept out of it: a webhook signing secret an administrator sends or the hub makes is
 * put in the secret store under a new name, and the configuration holds {@code {{secret:name}}} in its place; reading
 * the configuration fills the names in again. Names are never reused, so a value once read is kept for the life of
 * the container.
 */
public final class ConfigurationSecrets implements Function<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationSecrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretStore store;
    private final String namePrefix;
    private final Map<String, String> known = new ConcurrentHashMap<>();

    /** @param namePrefix put before every name the hub makes (the stack's name in AWS, so IAM can scope to it) */
    public ConfigurationSecrets(SecretStore store, String namePrefix) {
        this.store = store;
        this.namePrefix = namePrefix == null ? "" : namePrefix;
    }

    /** The secret named {@code name}, or null when the store has none (the configuration check then says so). */
    @Override
    public String apply(String name) {
        String value = known.get(name);
        if (value != null) {
            return value;
        }
        try {
            value = new String(store.get(name), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            LOG.warn("secret {} could not be read ({})", name, e.getClass().getSimpleName());
            return null;
        }
        known.put(name, value);
        return value;
    }

    /**
     * Moves every signing secret written in plain in {@code config} into the store, leaving its reference; answers
     * the names made. References already there stay as they are.
     */
    public List<String> seal(ObjectNode config) {
        List<String> made = new ArrayList<>();
        for (SecretPlace place : SecretPlace.values()) {
            if (!place.kept()) {
                continue;
            }
            for (JsonNode item : config.path(place.collection())) {
                JsonNode secret = place.valueIn(item).orElse(null);
                if (secret == null || !secret.isTextual() || ConfigurationLoader.SECRET.matcher(secret.asText()).matches()) {
                    continue;
                }
                String owner = item.path("id").asText("x").replaceAll("[^A-Za-z0-9-]", "-");
                String name = namePrefix + "signing-" + (place.collection().equals("agencies") ? "agency" : "partner")
                        + "-" + owner.substring(0, Math.min(40, owner.length())) + "-" + place.storedAs() + "-"
                        + HexFormat.of().formatHex(randomBytes());
                store.put(name, secret.asText().getBytes(StandardCharsets.UTF_8));
                known.put(name, secret.asText());
                place.holderIn(item).orElseThrow().put(place.field(), "{{secret:" + name + "}}");
                made.add(name);
            }
        }
        return made;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[5];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
