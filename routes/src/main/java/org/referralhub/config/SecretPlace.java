package org.referralhub.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Where the configuration holds secrets — declared here once, for every part that treats them apart: the redacted
 * view and its diff, an administrator's change (a secret not sent is kept), and the secret store (signing secrets
 * are moved out of the configuration, which keeps only their names).
 */
public enum SecretPlace {
    /** An agency's SFTP password digest. */
    AGENCY_SFTP_PASSWORD("agencies", "/sftp", "passwordHash", null),
    /** The webhook secret an agency's notices are signed with. */
    AGENCY_NOTICES("agencies", "/notifications/webhook", "signingSecret", "notices"),
    /** The secret an agency signs its own webhook calls with (Standard Webhooks). */
    AGENCY_CALLS("agencies", "/signedWebhooks", "signingSecret", "calls"),
    /** The webhook secret a partner's deliveries are signed with. */
    PARTNER_DELIVERIES("partners", "/intake", "signingSecret", "deliveries"),
    /** A partner's SFTP password digest. */
    PARTNER_SFTP_PASSWORD("partners", "/sftp", "passwordHash", null);

    private final String collection;
    private final String holder;
    private final String field;
    private final String storedAs;

    SecretPlace(String collection, String holder, String field, String storedAs) {
        this.collection = collection;
        this.holder = holder;
        this.field = field;
        this.storedAs = storedAs;
    }

    /** {@code agencies} or {@code partners}. */
    public String collection() {
        return collection;
    }

    /** The field's name in its holder. */
    public String field() {
        return field;
    }

    /** Whether the value is a secret the secret store keeps (a signing secret), not a digest the table may hold. */
    public boolean kept() {
        return storedAs != null;
    }

    /** The word in the names of the secrets the hub stores for it ({@code deliveries}, {@code notices}). */
    public String storedAs() {
        return storedAs;
    }

    /** The object of one agency or partner that holds the secret, if it has one. */
    public Optional<ObjectNode> holderIn(JsonNode item) {
        return item.at(holder) instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    }

    /** The secret's value in one agency or partner, if set. */
    public Optional<JsonNode> valueIn(JsonNode item) {
        return holderIn(item).map(h -> h.get(field)).filter(v -> !v.isNull());
    }

    /** Where it is in one agency or partner, as administrators read it: {@code notifications.webhook.signingSecret}. */
    public String path() {
        return holder.substring(1).replace('/', '.') + "." + field;
    }

    /** The JSON pointer of the secret in a whole configuration, for the agency or partner {@code id}. */
    public String pointer(String id) {
        return "/" + collection + "/" + id + holder + "/" + field;
    }
}
