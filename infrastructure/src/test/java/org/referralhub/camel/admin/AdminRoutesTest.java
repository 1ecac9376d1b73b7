package org.referralhub.camel.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.camel.WingParts;
import org.referralhub.referral.CanonicalJson;

/**
 * The admin wing's front: the admin door and the operation table. Behind it, each operation's route is a stand-in
 * that answers which operation reached it, with which path parameters and administrator.
 */
class AdminRoutesTest extends CamelTestSupport {

    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/ops";

    @TempDir
    Path folder;
    private WingParts parts;

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        parts = new WingParts(folder);
        return new RoutesBuilder[] {new ApiErrorHandling(), new AdminRoutes(new AdminDoor(parts.configs, parts.signIns())),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        for (String endpoint : new String[] {Endpoints.ADMIN_CONFIGURATION, Endpoints.ADMIN_REFERRALS,
                                Endpoints.ADMIN_REPLAY}) {
                            from(endpoint).process(e -> {
                                AdminCall call = e.getMessage().getMandatoryBody(AdminCall.class);
                                e.getMessage().setBody(ApiReply.json(200, Map.of("route", endpoint, "operation",
                                        call.operation().name(), "path", call.request().pathParameters(), "by", call.by())));
                            });
                        }
                    }
                }};
    }

    @AfterEach
    void closeParts() {
        parts.close();
    }

    @Test
    void eachOperationReachesItsRouteWithItsPathParameters() throws Exception {
        JsonNode version = call("GET", "/admin/v1/config/versions/12", PRINCIPAL);
        assertThat(version.path("route").asText()).isEqualTo(Endpoints.ADMIN_CONFIGURATION);
        assertThat(version.path("operation").asText()).isEqualTo("CONFIG_VERSION");
        assertThat(version.path("path").path("version").asText()).isEqualTo("12");
        assertThat(version.path("by").asText()).isEqualTo(PRINCIPAL);

        JsonNode revoke = call("DELETE", "/admin/v1/partners/humber/keys/ab12", PRINCIPAL);
        assertThat(revoke.path("operation").asText()).isEqualTo("KEY_REVOKE");
        assertThat(revoke.path("path").path("collection").asText()).isEqualTo("partners");
        assertThat(revoke.path("path").path("id").asText()).isEqualTo("humber");
        assertThat(revoke.path("path").path("keyId").asText()).isEqualTo("ab12");

        assertThat(call("POST", "/admin/v1/quarantine/replay", PRINCIPAL).path("operation").asText())
                .isEqualTo("QUARANTINE_REPLAY_MANY");
        assertThat(call("POST", "/admin/v1/quarantine/r123/replay", PRINCIPAL).path("path").path("receiptId").asText())
                .isEqualTo("r123");
        assertThat(call("GET", "/admin/v1/referrals/x1/raw", PRINCIPAL).path("route").asText())
                .isEqualTo(Endpoints.ADMIN_REFERRALS);
        assertThat(call("PATCH", "/admin/v1/routing/rules/r1", PRINCIPAL).path("operation").asText()).isEqualTo("RULE");
        assertThat(call("GET", "/admin/v1/dead-letters", PRINCIPAL).path("route").asText()).isEqualTo(Endpoints.ADMIN_REPLAY);
    }

    @Test
    void whatTheTableDoesNotHoldIsNotFoundAndNoTokenIsRefused() throws Exception {
        ApiReply unknown = template.requestBody(Endpoints.ADMIN_API, request("DELETE", "/admin/v1/config", PRINCIPAL),
                ApiReply.class);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(template.requestBody(Endpoints.ADMIN_API, request("GET", "/admin/v1/rules", PRINCIPAL), ApiReply.class)
                .status()).isEqualTo(404);
        assertThat(template.requestBody(Endpoints.ADMIN_API, request("PUT", "/admin/v1/agencies/x/keys", PRINCIPAL),
                ApiReply.class).status()).isEqualTo(404);

        ApiReply anonymous = template.requestBody(Endpoints.ADMIN_API, request("GET", "/admin/v1/config", null), ApiReply.class);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(CanonicalJson.MAPPER.readTree(anonymous.body()).path("title").asText()).isEqualTo("Missing admin token");
    }

    private JsonNode call(String method, String path, String principal) throws Exception {
        ApiReply reply = template.requestBody(Endpoints.ADMIN_API, request(method, path, principal), ApiReply.class);
        assertThat(reply.status()).as(method + " " + path + ": " + reply.body()).isEqualTo(200);
        return CanonicalJson.MAPPER.readTree(reply.body());
    }

    private static ApiRequest request(String method, String path, String principal) {
        return new ApiRequest(method, path, Map.of(), principal == null ? Map.of() : Map.of(AdminDoor.IAM_PRINCIPAL, principal),
                null, "r1", "127.0.0.1");
    }
}
