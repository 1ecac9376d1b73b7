package org.referralhub.camel.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.referralhub.camel.Endpoints;

/**
 * The administrators' API under {@code /admin/v1/}, as a table: each operation's method ({@code ANY}: the operation
 * answers 405 itself), its path template and the route that answers it. The first row that matches a request wins.
 * A segment {@code {name}} matches any one segment and becomes a path parameter; {@code {name=a|b}} only those.
 */
public enum AdminOperation {
    CONFIG_GET("GET", "config", Endpoints.ADMIN_CONFIGURATION),
    CONFIG_IMPORT("PUT", "config", Endpoints.ADMIN_CONFIGURATION),
    CONFIG_HISTORY("GET", "config/versions", Endpoints.ADMIN_CONFIGURATION),
    CONFIG_VERSION("GET", "config/versions/{version}", Endpoints.ADMIN_CONFIGURATION),
    CONFIG_RESTORE("POST", "config/versions/{version}/restore", Endpoints.ADMIN_CONFIGURATION),
    ROUTING_GET("GET", "routing", Endpoints.ADMIN_CONFIGURATION),
    ROUTING_REPLACE("PUT", "routing", Endpoints.ADMIN_CONFIGURATION),
    RULE_MOVE("POST", "routing/rules/{id}/move", Endpoints.ADMIN_CONFIGURATION),
    RULES("ANY", "routing/{collection=rules}", Endpoints.ADMIN_CONFIGURATION),
    RULE("ANY", "routing/{collection=rules}/{id}", Endpoints.ADMIN_CONFIGURATION),
    KEYS_LIST("GET", "{collection=agencies|partners}/{id}/keys", Endpoints.ADMIN_CONFIGURATION),
    KEY_CREATE("POST", "{collection=agencies|partners}/{id}/keys", Endpoints.ADMIN_CONFIGURATION),
    KEYS_ROTATE("POST", "{collection=agencies|partners}/{id}/keys/rotate", Endpoints.ADMIN_CONFIGURATION),
    KEY_REVOKE("DELETE", "{collection=agencies|partners}/{id}/keys/{keyId}", Endpoints.ADMIN_CONFIGURATION),
    SIGNING_SECRET_ROTATE("POST", "partners/{id}/signing-secret/rotate", Endpoints.ADMIN_CONFIGURATION),
    COLLECTION("ANY", "{collection=agencies|partners|programs|mappings}", Endpoints.ADMIN_CONFIGURATION),
    MEMBER("ANY", "{collection=agencies|partners|programs|mappings}/{id}", Endpoints.ADMIN_CONFIGURATION),
    QUARANTINE_LIST("GET", "quarantine", Endpoints.ADMIN_REPLAY),
    QUARANTINE_REPLAY_MANY("POST", "quarantine/replay", Endpoints.ADMIN_REPLAY),
    QUARANTINE_REPLAY("POST", "quarantine/{receiptId}/replay", Endpoints.ADMIN_REPLAY),
    DEAD_LETTERS_LIST("GET", "dead-letters", Endpoints.ADMIN_REPLAY),
    DEAD_LETTERS_REPLAY("POST", "dead-letters/replay", Endpoints.ADMIN_REPLAY),
    FUNNEL("GET", "reports/funnel", Endpoints.ADMIN_REFERRALS),
    ACTIVITY("GET", "reports/activity", Endpoints.ADMIN_REFERRALS),
    REFERRAL_SEARCH("GET", "referrals", Endpoints.ADMIN_REFERRALS),
    REFERRAL_RAW("GET", "referrals/{id}/raw", Endpoints.ADMIN_REFERRALS),
    REFERRAL_GET("GET", "referrals/{id}", Endpoints.ADMIN_REFERRALS),
    REFERRAL_ERASE("POST", "referrals/{id}/erase", Endpoints.ADMIN_REFERRALS),
    REFERRAL_NEAR_MATCH("POST", "referrals/{id}/near-match", Endpoints.ADMIN_REFERRALS);

    /** Where the table's paths start. */
    public static final String PREFIX = "/admin/v1/";

    private final String method;
    private final List<String> template;
    private final String endpoint;

    AdminOperation(String method, String template, String endpoint) {
        this.method = method;
        this.template = List.of(template.split("/"));
        this.endpoint = endpoint;
    }

    /** The operation's method: GET, POST… or ANY (the operation answers the methods it has, 405 to others). */
    public String method() {
        return method;
    }

    /**
     * Its path under {@link #PREFIX} as OpenAPI writes a path: {@code {name=a|b}} as {@code {name}}, and a segment
     * that admits one value ({@code {collection=rules}}) as that value.
     */
    public String path() {
        return String.join("/", template.stream().map(s -> {
            if (!s.startsWith("{") || !s.contains("=")) {
                return s;
            }
            String values = s.substring(s.indexOf('=') + 1, s.length() - 1);
            return values.contains("|") ? s.substring(0, s.indexOf('=')) + "}" : values;
        }).toList());
    }

    /** The route that answers this operation. */
    public String endpoint() {
        return endpoint;
    }

    /** An operation matched, with the path parameters its template named. */
    public record Match(AdminOperation operation, Map<String, String> pathParameters) {
    }

    /** The first operation whose method and template match, or empty (404). */
    public static Optional<Match> match(String method, List<String> segments) {
        for (AdminOperation operation : values()) {
            if (!operation.method.equals("ANY") && !operation.method.equals(method)
                    || operation.template.size() != segments.size()) {
                continue;
            }
            Map<String, String> parameters = operation.bind(segments);
            if (parameters != null) {
                return Optional.of(new Match(operation, parameters));
            }
        }
        return Optional.empty();
    }

    private Map<String, String> bind(List<String> segments) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String part = template.get(i);
            String segment = segments.get(i);
            if (part.startsWith("{")) {
                String[] named = part.substring(1, part.length() - 1).split("=", 2);
                if (named.length == 2 && !List.of(named[1].split("\\|")).contains(segment)) {
                    return null;
                }
                parameters.put(named[0], segment);
            } else if (!part.equals(segment)) {
                return null;
            }
        }
        return parameters;
    }
}
