package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.referralhub.functions.AdminApiFunction;
import org.referralhub.functions.ReferralApiFunction;
import org.referralhub.hub.HubSettings;
import org.referralhub.store.ReferralTableDefinition;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** template.yaml and the code agree: handlers exist, every variable the code needs is set, the table matches. */
class TemplateTest {

    private static final Map<String, Object> TEMPLATE = load();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try {
            String root = System.getProperty("hub.repository.root", "..");
            String text = Files.readString(Path.of(root, "template.yaml"));
            return new Yaml(new CloudFormationTags()).load(text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template.yaml", e);
        }
    }

    /** Reads !Ref, !GetAtt, !Sub as plain maps, as CloudFormation means them. */
    private static final class CloudFormationTags extends SafeConstructor {
        CloudFormationTags() {
            super(new LoaderOptions());
            for (String tag : List.of("Ref", "GetAtt", "Sub", "Join", "If", "Equals", "Not", "And", "Or", "Select", "Split",
                    "FindInMap", "Base64", "ImportValue", "GetAZs", "Cidr")) {
                this.yamlConstructors.put(new Tag("!" + tag), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value = node instanceof ScalarNode s ? s.getValue()
                                : node instanceof SequenceNode q ? constructSequence(q) : constructMapping((MappingNode) node);
                        return Map.of(tag.equals("Ref") ? "Ref" : "Fn::" + tag, value);
                    }
                });
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resources(String type) {
        Map<String, Object> resources = (Map<String, Object>) TEMPLATE.get("Resources");
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        resources.forEach((name, r) -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            if (type.equals(resource.get("Type"))) {
                out.put(name, (Map<String, Object>) resource.get("Properties"));
            }
        });
        return out;
    }

    @Test
    void everyFunctionsHandlerIsALambdaRequestHandler() throws Exception {
        Map<String, Map<String, Object>> functions = resources("AWS::Serverless::Function");
        assertThat(functions).isNotEmpty();
        for (var function : functions.entrySet()) {
            String handler = (String) function.getValue().get("Handler");
            assertThat(handler).as(function.getKey()).endsWith("::handleRequest");
            Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
            assertThat(RequestHandler.class.isAssignableFrom(type)).as(handler).isTrue();
            assertThat(type.getConstructor()).as(handler + " needs a no-arg constructor for Lambda").isNotNull();
            assertThat(type.getSimpleName()).isEqualTo(function.getKey());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyVariableTheCodeNeedsInAwsIsSetWithRef() {
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) TEMPLATE.get("Globals")).get("Function");
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) globals.get("Environment")).get("Variables");
        Set<String> required = HubSettings.VARIABLES.entrySet().stream().filter(Map.Entry::getValue)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(variables.keySet()).containsAll(required);
        assertThat(variables.get(HubSettings.REFERRALS_TABLE)).isEqualTo(Map.of("Ref", "ReferralsTable"));
        assertThat(variables.get(HubSettings.ARCHIVE_BUCKET)).isEqualTo(Map.of("Ref", "RawArchiveBucket"));
        for (String name : variables.keySet()) {
            if (!name.equals("JAVA_TOOL_OPTIONS")) {
                assertThat(HubSettings.VARIABLES).as("template sets %s, which the code never reads", name).containsKey(name);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHttpApiRoutesAreTheOnesTheHandlersServe() {
        assertThat(routeKeys("ReferralApiFunction")).isEqualTo(ReferralApiFunction.ROUTES.keySet());
        assertThat(routeKeys("AdminApiFunction")).isEqualTo(AdminApiFunction.ROUTES.keySet());
        Map<String, Object> admin = resources("AWS::Serverless::Function").get("AdminApiFunction");
        ((Map<String, Object>) admin.get("Events")).values().forEach(e -> {
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) e).get("Properties");
            if (String.valueOf(properties.get("Path")).startsWith("/admin/")) {
                assertThat(((Map<String, Object>) properties.get("Auth")).get("Authorizer"))
                        .as("admin routes are IAM-authorized").isEqualTo("AWS_IAM");
            } else if (String.valueOf(properties.get("Path")).startsWith("/console/api/")) {
                // the console's door to the admin API: no IAM, an administrator's token checked by the function
                assertThat(properties.get("Auth")).isNull();
            } else {
                // the console's static files: read-only, nothing else open
                assertThat(properties.get("Path").toString()).startsWith("/console");
                assertThat(properties.get("Method")).isEqualTo("GET");
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Set<String> routeKeys(String function) {
        Set<String> routeKeys = new HashSet<>();
        Map<String, Object> api = resources("AWS::Serverless::Function").get(function);
        ((Map<String, Object>) api.get("Events")).values().forEach(e -> {
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) e).get("Properties");
            routeKeys.add(properties.get("Method") + " " + properties.get("Path"));
        });
        return routeKeys;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTableHasTheIndexesStreamAndTtlTheCodeUses() {
        Map<String, Object> table = resources("AWS::DynamoDB::Table").get("ReferralsTable");
        List<String> indexes = new ArrayList<>();
        for (Object index : (List<Object>) table.get("GlobalSecondaryIndexes")) {
            indexes.add((String) ((Map<String, Object>) index).get("IndexName"));
        }
        assertThat(indexes).containsExactlyInAnyOrderElementsOf(ReferralTableDefinition.INDEXES);
        assertThat(((Map<String, Object>) table.get("StreamSpecification")).get("StreamViewType")).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(((Map<String, Object>) table.get("TimeToLiveSpecification")).get("AttributeName")).isEqualTo("expiresAt");
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatTheFunctionsCannotProcessGoesToADeadLetterQueueWithAnAlarm() {
        assertThat(resources("AWS::SQS::Queue")).containsKey("DeadLetterQueue");
        Map<String, Object> stream = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) resources(
                "AWS::Serverless::Function").get("DispatchStreamFunction").get("Events")).get("ReferralChanges")).get("Properties");
        assertThat(stream.get("DestinationConfig").toString()).contains("DeadLetterQueue");
        assertThat(stream.get("FunctionResponseTypes").toString()).contains("ReportBatchItemFailures");
        for (String async : List.of("FileIntakeFunction", "EmailIntakeFunction", "DispatchSweepFunction")) {
            assertThat(String.valueOf(resources("AWS::Serverless::Function").get(async).get("DeadLetterQueue")))
                    .as(async).contains("DeadLetterQueue");
        }
        assertThat(resources("AWS::CloudWatch::Alarm").values()).anySatisfy(a ->
                assertThat(a.get("Dimensions").toString()).contains("DeadLetterQueue"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSftpServerAsksTheLoginFunctionSoAgenciesAddedByAdministratorsCanLogIn() {
        Map<String, Object> server = resources("AWS::Transfer::Server").values().iterator().next();
        assertThat(server.get("IdentityProviderType")).isEqualTo("AWS_LAMBDA");
        assertThat(((Map<String, Object>) server.get("IdentityProviderDetails")).get("Function").toString())
                .contains("SftpLoginFunction");
        assertThat(resources("AWS::Transfer::User")).as("no user fixed in the template").isEmpty();
        assertThat(resources("AWS::Lambda::Permission").values()).anySatisfy(p ->
                assertThat(p.get("Principal")).isEqualTo("transfer.amazonaws.com"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void noPolicyGrantsWildcardActionsOrResources() {
        for (var function : resources("AWS::Serverless::Function").entrySet()) {
            for (Object policy : (List<Object>) function.getValue().get("Policies")) {
                for (Object statement : (List<Object>) ((Map<String, Object>) policy).get("Statement")) {
                    Map<String, Object> s = (Map<String, Object>) statement;
                    assertThat(s.get("Action").toString()).as(function.getKey()).doesNotContain("*");
                    assertThat(s.get("Resource")).as(function.getKey()).isNotEqualTo("*");
                }
            }
        }
    }

    private static final Map<String, Object> DATA_KEY = Map.of("Fn::GetAtt", "DataKey.Arn");

    @Test
    @SuppressWarnings("unchecked")
    void personalDataAtRestIsUnderTheRotatedCustomerKeyAndReachableOnlyOverTls() {
        assertThat(resources("AWS::KMS::Key")).containsKey("DataKey");
        assertThat(resources("AWS::KMS::Key").get("DataKey").get("EnableKeyRotation")).isEqualTo(true);

        Map<String, Object> sse = (Map<String, Object>) resources("AWS::DynamoDB::Table").get("ReferralsTable")
                .get("SSESpecification");
        assertThat(sse).containsEntry("SSEType", "KMS").containsEntry("KMSMasterKeyId", DATA_KEY);

        Map<String, Map<String, Object>> policies = resources("AWS::S3::BucketPolicy");
        for (var bucket : resources("AWS::S3::Bucket").entrySet()) {
            Map<String, Object> encryption = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) bucket.getValue()
                    .get("BucketEncryption")).get("ServerSideEncryptionConfiguration")).get(0);
            assertThat((Map<String, Object>) encryption.get("ServerSideEncryptionByDefault")).as(bucket.getKey())
                    .containsEntry("SSEAlgorithm", "aws:kms").containsEntry("KMSMasterKeyID", DATA_KEY);
            assertThat((Map<String, Object>) bucket.getValue().get("PublicAccessBlockConfiguration")).as(bucket.getKey())
                    .containsEntry("BlockPublicAcls", true).containsEntry("BlockPublicPolicy", true)
                    .containsEntry("IgnorePublicAcls", true).containsEntry("RestrictPublicBuckets", true);
            assertThat(policies.values()).as("a TLS-only policy on " + bucket.getKey()).anyMatch(policy ->
                    Map.of("Ref", bucket.getKey()).equals(policy.get("Bucket")) && deniesPlainTransport(policy));
        }

        Map<String, Object> queue = resources("AWS::SQS::Queue").get("DeadLetterQueue");
        assertThat(queue).containsEntry("KmsMasterKeyId", DATA_KEY);
        assertThat(resources("AWS::SQS::QueuePolicy").values()).anyMatch(TemplateTest::deniesPlainTransport);

        // the functions that touch a bucket or the queue may use the key, and only that key
        for (var function : resources("AWS::Serverless::Function").entrySet()) {
            String text = function.getValue().toString();
            if (text.contains("s3:") || function.getValue().containsKey("DeadLetterQueue")) {
                assertThat(text).as(function.getKey()).contains("kms:Decrypt").contains("DataKey.Arn");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void signingSecretsAreInSecretsManagerEveryFunctionReadsThemAndOnlyTheAdminApiMakesThem() {
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                TEMPLATE.get("Globals")).get("Function")).get("Environment")).get("Variables");
        assertThat(globals.get(HubSettings.SECRET_NAME_PREFIX)).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-"));
        assertThat(globals.get(HubSettings.SECRETS_KMS_KEY)).isEqualTo(DATA_KEY);
        for (var function : resources("AWS::Serverless::Function").entrySet()) {
            String text = function.getValue().toString();
            // every function reads the configuration, so every one fills in its {{secret:name}}s
            assertThat(text).as(function.getKey()).contains("secretsmanager:GetSecretValue")
                    .contains(":secret:${AWS::StackName}-signing-*").contains("SecretsExtensionLayerArn");
            assertThat(text.contains("secretsmanager:CreateSecret")).as(function.getKey())
                    .isEqualTo(function.getKey().equals("AdminApiFunction"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void functionsStartFromASnapStartSnapshotAndAreCalledThroughTheirAlias() {
        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) TEMPLATE.get("Globals")).get("Function");
        assertThat(function.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        assertThat(function.get("AutoPublishAlias")).isEqualTo("live");
        Map<String, Object> server = resources("AWS::Transfer::Server").get("SftpServer");
        assertThat(server.toString()).contains("Ref=SftpLoginFunction.Alias").doesNotContain("SftpLoginFunction.Arn");
    }

    @SuppressWarnings("unchecked")
    private static boolean deniesPlainTransport(Map<String, Object> policy) {
        Map<String, Object> document = (Map<String, Object>) policy.get("PolicyDocument");
        return ((List<Object>) document.get("Statement")).stream().map(st -> (Map<String, Object>) st)
                .anyMatch(st -> "Deny".equals(st.get("Effect")) && String.valueOf(st.get("Condition"))
                        .contains("aws:SecureTransport=false"));
    }
}
