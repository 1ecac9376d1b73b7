package org.referralhub.camel.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.admin.Administration;
import org.referralhub.admin.Administration.Kind;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration as administrators change it: the whole of it and its versions, the routing table and its rules,
 * agencies, partners, programs and mappings, API keys and signing secrets — each change a new version
 * ({@link Administration}), answered with the version as {@code ETag}.
 */
public final class ConfigurationAdminRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationAdminRoutes.class);

    private final Administration admin;

    public ConfigurationAdminRoutes(Administration admin) {
        this.admin = admin;
    }

    @Override
    public void configure() {
        from(Endpoints.ADMIN_CONFIGURATION).routeId("admin-configuration").routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> e.getMessage().setBody(answer(e.getMessage().getMandatoryBody(AdminCall.class))));
    }

    private ApiReply answer(AdminCall call) {
        String by = call.by();
        String id = call.path("id");
        return switch (call.operation()) {
            case CONFIG_GET -> reply(200, admin.configuration());
            case CONFIG_IMPORT -> reply(200, logged(by, "imported a configuration",
                    admin.importConfiguration(configurationBody(call), by, call.ifMatch())));
            case CONFIG_HISTORY -> ApiReply.json(200, Map.of("versions", admin.history(
                    (int) call.queryNumber("limit", 20), call.request().query("before") == null ? null
                            : AdminCall.number(call.request().query("before"), "before"))));
            case CONFIG_VERSION -> ApiReply.json(200, admin.version(AdminCall.number(call.path("version"), "version")));
            case CONFIG_RESTORE -> {
                long number = AdminCall.number(call.path("version"), "version");
                yield reply(200, logged(by, "restored version " + number, admin.restore(number, by)));
            }
            case ROUTING_GET -> reply(200, admin.routing());
            case ROUTING_REPLACE -> reply(200, logged(by, "replaced the routing table",
                    admin.replaceRouting(call.object(), by, call.ifMatch())));
            case RULE_MOVE -> {
                JsonNode body = call.object();
                if (!body.path("position").canConvertToInt()) {
                    throw new ApiProblem(400, "malformed", "Where to?", "Send {\"position\": n}, 0 being first.");
                }
                yield reply(200, logged(by, "moved rule " + id, admin.moveRule(id, body.get("position").asInt(), by,
                        call.ifMatch())));
            }
            case KEYS_LIST -> ApiReply.json(200, Map.of(kind(call).noun() + "Id", id,
                    "apiKeys", admin.get(kind(call), id).resource().path("apiKeys")));
            case KEY_CREATE -> reply(201, logged(by, "created an API key of " + id,
                    admin.createKey(kind(call), id, call.object().path("revokeOthers").asBoolean(false), by)));
            case KEYS_ROTATE -> reply(201, logged(by, "rotated the API keys of " + id, admin.createKey(kind(call), id, true, by)));
            case KEY_REVOKE -> reply(200, logged(by, "revoked an API key of " + id,
                    admin.revokeKey(kind(call), id, call.path("keyId"), by)));
            case SIGNING_SECRET_ROTATE -> reply(201, logged(by, "rotated the signing secret of " + id,
                    admin.rotateSigningSecret(id, by)));
            case RULES, COLLECTION -> collection(call);
            case RULE, MEMBER -> member(call);
            default -> throw new IllegalStateException(call.operation() + " is not the configuration's");
        };
    }

    /** List and create on a collection. */
    private ApiReply collection(AdminCall call) {
        Kind kind = kind(call);
        return switch (call.request().method()) {
            case "GET" -> reply(200, admin.list(kind));
            case "POST" -> reply(201, logged(call.by(), "created a " + kind.noun(),
                    admin.create(kind, call.object(), call.by(), call.ifMatch())));
            default -> throw methodNotAllowed(call.request().method());
        };
    }

    /** Show, replace, patch and delete one member of a collection. */
    private ApiReply member(AdminCall call) {
        Kind kind = kind(call);
        String id = call.path("id");
        String by = call.by();
        return switch (call.request().method()) {
            case "GET" -> reply(200, admin.get(kind, id));
            case "PUT" -> reply(200, logged(by, "replaced " + kind.noun() + " " + id,
                    admin.replace(kind, id, call.object(), by, call.ifMatch())));
            case "PATCH" -> reply(200, logged(by, "changed " + kind.noun() + " " + id,
                    admin.patch(kind, id, call.object(), by, call.ifMatch())));
            case "DELETE" -> reply(200, logged(by, "deleted " + kind.noun() + " " + id,
                    admin.delete(kind, id, by, call.ifMatch())));
            default -> throw methodNotAllowed(call.request().method());
        };
    }

    private static Kind kind(AdminCall call) {
        return Kind.of(call.path("collection")).orElseThrow();
    }

    private static Administration.Answer logged(String by, String what, Administration.Answer answer) {
        LOG.info("admin {} {}: configuration version {} in force", by, what, answer.version());
        return answer;
    }

    /** The resource, with any secret the hub just made (shown this once), and the version as ETag. */
    private static ApiReply reply(int status, Administration.Answer answer) {
        Object body = answer.resource() == null ? Map.of("version", answer.version()) : answer.resource();
        if (!answer.secrets().isEmpty() && answer.resource() instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            ObjectNode secrets = copy.putObject("secrets");
            answer.secrets().forEach(secrets::put);
            secrets.put("note", "Shown this once: the hub keeps only a digest (API keys) or will not show it again.");
            body = copy;
        }
        return ApiReply.json(status, body).withHeader("ETag", "\"" + answer.version() + "\"")
                .withHeader("Cache-Control", "no-store");
    }

    /** A whole configuration: JSON, or YAML when the content type says so. */
    private static ObjectNode configurationBody(AdminCall call) {
        String type = call.request().header("content-type");
        if (type != null && type.toLowerCase(Locale.ROOT).contains("yaml")) {
            try {
                return ConfigurationLoader.readText(call.request().bodyText());
            } catch (InvalidConfigurationException e) {
                throw new ApiProblem(400, "malformed", "Malformed configuration", String.join("; ", e.problems()));
            }
        }
        return call.object();
    }

    private static ApiProblem methodNotAllowed(String method) {
        return new ApiProblem(405, "method-not-allowed", "Method not allowed", method + " is not offered here.");
    }
}
