package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.referralhub.api.OpenApiDocument;
import org.referralhub.camel.admin.AdminOperation;
import org.referralhub.functions.AdminApiFunction;
import org.referralhub.functions.ReferralApiFunction;

/**
 * The OpenAPI document as a parser no one here wrote reads it (swagger-parser, as connector builders and API
 * Gateway's import do): no message at all, every route the functions and the template serve in it, every refusal a
 * problem document, the webhooks the hub sends with their Standard Webhooks headers.
 */
class OpenApiTest {

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();

    private static SwaggerParseResult parse() {
        return parse(false);
    }

    /** @param inlined every reference replaced by what it names, as a connector builder sees each operation */
    private static SwaggerParseResult parse(boolean inlined) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(inlined);
        return new OpenAPIV3Parser().readContents(DOCUMENT.json(), null, options);
    }

    @Test
    void theDocumentParsesWithoutASingleMessageAndHoldsNoReferenceOutsideItself() {
        SwaggerParseResult result = parse();
        assertThat(result.getMessages()).isEmpty();
        assertThat(parse(true).getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(DOCUMENT.json()).doesNotContain("\"$ref\" : \"http").doesNotContain("$defs").doesNotContain(".json#");
        // the canonical referral is the schema's own, not a copy: its fields and its required list
        assertThat(result.getOpenAPI().getComponents().getSchemas().get("Referral").getRequired())
                .contains("schemaVersion", "referralId", "client", "consent", "statusHistory");
        assertThat(DOCUMENT.yaml()).startsWith("openapi: 3.1.0");
    }

    @Test
    void everyRouteTheFunctionsAndTheTemplateServeIsInIt() {
        OpenAPI api = parse().getOpenAPI();
        Set<String> documented = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));
        List<String> missing = new ArrayList<>();
        for (String key : ReferralApiFunction.ROUTES.keySet()) {
            // ANY /fhir/r4/{proxy+}: anything else under the FHIR door, answered with an OperationOutcome
            if (!key.contains("{proxy+}") && !documented.contains(key)) {
                missing.add(key);
            }
        }
        for (String key : AdminApiFunction.ROUTES.keySet()) {
            // the console's door to the admin API answers what /admin/v1 answers: its operations are listed once
            if (!key.contains("{proxy+}") && !key.startsWith("POST /console/api/") && !documented.contains(key)) {
                missing.add(key);
            }
        }
        for (AdminOperation operation : AdminOperation.values()) {
            String path = AdminOperation.PREFIX + operation.path();
            boolean there = operation.method().equals("ANY")
                    ? documented.stream().anyMatch(d -> d.endsWith(" " + path))
                    : documented.contains(operation.method() + " " + path);
            if (!there) {
                missing.add(operation.method() + " " + path + " (" + operation + ")");
            }
        }
        templateRouteKeys().stream().filter(k -> !k.contains("{proxy+}") && !k.startsWith("POST /console/api/")
                && !documented.contains(k)).forEach(missing::add);
        assertThat(missing).as("routes served but not in the OpenAPI document").isEmpty();
    }

    @Test
    void everyRefusalIsAProblemDocumentAndEveryOperationHasAnId() {
        OpenAPI api = parse(true).getOpenAPI();
        Set<String> ids = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            assertThat(operation.getOperationId()).as(method + " " + path).isNotBlank();
            assertThat(ids.add(operation.getOperationId())).as("operationId %s once", operation.getOperationId()).isTrue();
            operation.getResponses().forEach((status, response) -> {
                Content content = response.getContent();
                // an erased referral answers its erasure record (ids, when, why), which is the resource now
                if ((status.startsWith("4") || status.startsWith("5"))
                        && !(path.equals("/admin/v1/referrals/{id}") && status.equals("410"))) {
                    assertThat(content).as(method + " " + path + " " + status).isNotNull();
                    assertThat(content.keySet()).as(method + " " + path + " " + status)
                            .containsAnyOf(path.startsWith("/fhir/") ? "application/fhir+json" : "application/problem+json",
                                    "text/html");
                    if (path.startsWith("/fhir/")) {
                        assertThat(content.keySet()).as("FHIR refusals are OperationOutcomes").containsOnly("application/fhir+json");
                    }
                }
            });
        }));
    }

    @Test
    void theWebhooksTheHubSendsAreDescribedWithTheirStandardWebhooksHeaders() {
        Map<String, PathItem> webhooks = parse(true).getOpenAPI().getWebhooks();
        assertThat(webhooks).containsKeys("referralDelivery", "referralStatusChanged", "referralErased");
        webhooks.forEach((name, item) -> {
            Operation post = item.getPost();
            assertThat(post.getParameters()).extracting(Parameter::getName).as(name)
                    .containsExactlyInAnyOrder("webhook-id", "webhook-timestamp", "webhook-signature");
            assertThat(post.getRequestBody().getContent()).containsKey("application/json");
        });
    }

    @Test
    void theRepositorysCopyIsTheDocumentTheHubServes() throws Exception {
        Path fresh = Path.of("target", "openapi.json");
        Files.createDirectories(fresh.getParent());
        Files.writeString(fresh, DOCUMENT.json(), StandardCharsets.UTF_8);
        Path committed = Path.of(System.getProperty("hub.repository.root", ".."), "openapi.json");
        assertThat(Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "(no openapi.json)")
                .as("openapi.json is not the document the hub serves: cp infrastructure/target/openapi.json openapi.json")
                .isEqualTo(DOCUMENT.json());
    }

    @SuppressWarnings("unchecked")
    private static Set<String> templateRouteKeys() {
        Set<String> keys = new TreeSet<>();
        Map<String, Object> resources = (Map<String, Object>) TemplateYaml.load().get("Resources");
        resources.values().forEach(r -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
            if (!"AWS::Serverless::Function".equals(resource.get("Type")) || properties.get("Events") == null) {
                return;
            }
            ((Map<String, Object>) properties.get("Events")).values().forEach(e -> {
                Map<String, Object> event = (Map<String, Object>) e;
                if ("HttpApi".equals(event.get("Type"))) {
                    Map<String, Object> p = (Map<String, Object>) event.get("Properties");
                    keys.add(String.valueOf(p.get("Method")).toUpperCase(Locale.ROOT) + " " + p.get("Path"));
                }
            });
        });
        return keys;
    }
}
