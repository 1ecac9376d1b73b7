package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
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

/** template.yaml and the code agree: handlers exist, every variable the code needs is set, the table matches. */
class TemplateTest {

    private static final Map<String, Object> TEMPLATE = TemplateYaml.load();

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
                    .contains(":secret:${AWS::StackName}-signing-*").doesNotContain("Layers");
            // every secret a function may read is its own stack's: the configuration's names are read under the prefix
            for (String arn : text.split("arn:\\$\\{AWS::Partition}:secretsmanager:")) {
                if (arn.contains(":secret:")) {
                    assertThat(arn).as(function.getKey()).contains(":secret:${AWS::StackName}-");
                }
            }
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

    /** The longest region name AWS has (ap-southeast-7, ap-northeast-3: 14), and the prefix's longest (20). */
    private static final String LONGEST_REGION = "ap-southeast-7";
    private static final String LONGEST_PREFIX = "a".repeat(20);

    @Test
    @SuppressWarnings("unchecked")
    void bucketNamesAreValidS3NamesWhateverTheStackIsCalled() {
        Map<String, Object> parameters = (Map<String, Object>) TEMPLATE.get("Parameters");
        String pattern = (String) ((Map<String, Object>) parameters.get("ResourcePrefix")).get("AllowedPattern");
        assertThat(LONGEST_PREFIX).matches(pattern);
        assertThat("a".repeat(21)).doesNotMatch(pattern);
        assertThat("Referral-Hub").doesNotMatch(pattern);
        List<String> names = new ArrayList<>();
        resources("AWS::S3::Bucket").values().forEach(b -> {
            if (b.get("BucketName") != null) {
                names.add(String.valueOf(((Map<String, Object>) b.get("BucketName")).get("Fn::Sub")));
            }
        });
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) TEMPLATE.get("Globals")).get("Function")).get("Environment")).get("Variables");
        for (String variable : List.of(HubSettings.FILE_DROP_BUCKET, HubSettings.MAIL_DROP_BUCKET)) {
            assertThat(names).contains(String.valueOf(((Map<String, Object>) variables.get(variable)).get("Fn::Sub")));
        }
        assertThat(names).hasSize(2).allSatisfy(name -> {
            assertThat(name).doesNotContain("AWS::StackName");
            String longest = name.replace("${ResourcePrefix}", LONGEST_PREFIX).replace("${AWS::AccountId}", "123456789012")
                    .replace("${AWS::Region}", LONGEST_REGION);
            assertThat(longest).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9][a-z0-9.-]*[a-z0-9]");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void functionsRunOnASupportedRuntimeWithoutLayersAndSendMailThroughSesUnderTheirRole() {
        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) TEMPLATE.get("Globals")).get("Function");
        assertThat(function.get("Runtime")).isEqualTo("java21");
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) function.get("Environment")).get("Variables");
        assertThat(variables).containsEntry(HubSettings.MAIL_TRANSPORT, "ses")
                .doesNotContainKeys(HubSettings.SMTP_HOST, HubSettings.SMTP_USERNAME, HubSettings.SMTP_PASSWORD_REF);
        assertThat(TEMPLATE.toString()).doesNotContain("ses-smtp-password").doesNotContain("SmtpUsername");
        for (var f : resources("AWS::Serverless::Function").entrySet()) {
            assertThat(f.getValue()).as(f.getKey()).doesNotContainKey("Layers");
            String text = f.getValue().toString();
            if (text.contains("ses:SendEmail")) {
                assertThat(text).contains("identity/${HubEmailDomain}");
            }
        }
        for (String sender : List.of("DispatchStreamFunction", "DispatchSweepFunction", "EmailIntakeFunction",
                "MailboxPullFunction", "AdminApiFunction")) {
            assertThat(resources("AWS::Serverless::Function").get(sender).toString()).as(sender)
                    .contains("ses:SendEmail").contains("ses:SendRawEmail");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlarmReachesSomeoneAndTheFailuresThatMatterHaveOne() {
        Map<String, Map<String, Object>> alarms = resources("AWS::CloudWatch::Alarm");
        assertThat(alarms.values()).allSatisfy(alarm ->
                assertThat(alarm.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", "AlarmTopic"))));
        String all = alarms.toString();
        assertThat(all).contains("MetricName=IteratorAge").contains("MetricName=Throttles").contains("MetricName=Errors")
                .contains("MetricName=Timeouts").contains("ApproximateNumberOfMessagesVisible");
        // the summed alarms count every function
        for (String function : resources("AWS::Serverless::Function").keySet()) {
            assertThat(alarms.get("FunctionErrorsAlarm").toString()).contains("Ref=" + function);
            assertThat(alarms.get("FunctionThrottlesAlarm").toString()).contains("Ref=" + function);
        }
        assertThat(resources("AWS::SNS::Topic")).containsKey("AlarmTopic");
    }

    @Test
    @SuppressWarnings("unchecked")
    void logsAreKeptForAPeriodAndTheDoorsAreThrottledAndLogged() {
        assertThat(resources("AWS::Logs::LogGroup")).isNotEmpty().allSatisfy((name, group) ->
                assertThat(group.get("RetentionInDays")).as(name).isEqualTo(Map.of("Ref", "LogRetentionDays")));
        Map<String, Object> function = (Map<String, Object>) ((Map<String, Object>) TEMPLATE.get("Globals")).get("Function");
        assertThat((Map<String, Object>) function.get("LoggingConfig")).containsEntry("LogGroup", Map.of("Ref", "FunctionLogs"));
        Map<String, Object> api = resources("AWS::Serverless::HttpApi").get("HttpApi");
        assertThat((Map<String, Object>) api.get("DefaultRouteSettings")).containsKeys("ThrottlingRateLimit",
                "ThrottlingBurstLimit");
        assertThat(api.get("AccessLogSettings").toString()).contains("ApiAccessLogs.Arn").doesNotContain("$context.body");
        Map<String, Object> server = resources("AWS::Transfer::Server").get("SftpServer");
        assertThat(server.get("LoggingRole")).isEqualTo(Map.of("Fn::GetAtt", "SftpLoggingRole.Arn"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatHoldsDataSurvivesAStackDeletedByMistakeAndEveryKeyIsTheStacks() {
        Map<String, Object> all = (Map<String, Object>) TEMPLATE.get("Resources");
        for (String type : List.of("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::KMS::Key", "AWS::SQS::Queue",
                "AWS::SecretsManager::Secret")) {
            all.forEach((name, resource) -> {
                Map<String, Object> r = (Map<String, Object>) resource;
                if (type.equals(r.get("Type"))) {
                    assertThat(r).as(name).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
                }
            });
        }
        assertThat(resources("AWS::DynamoDB::Table").get("ReferralsTable")).containsEntry("DeletionProtectionEnabled", true);
        assertThat(resources("AWS::SecretsManager::Secret")).allSatisfy((name, secret) ->
                assertThat(secret).as(name).containsEntry("KmsKeyId", DATA_KEY));
        // an SFTP client that uploads to a temporary name and renames it needs to delete the temporary object
        assertThat(((Map<String, Object>) all.get("SftpUserRole")).toString()).contains("s3:DeleteObject");
    }

    @SuppressWarnings("unchecked")
    private static boolean deniesPlainTransport(Map<String, Object> policy) {
        Map<String, Object> document = (Map<String, Object>) policy.get("PolicyDocument");
        return ((List<Object>) document.get("Statement")).stream().map(st -> (Map<String, Object>) st)
                .anyMatch(st -> "Deny".equals(st.get("Effect")) && String.valueOf(st.get("Condition"))
                        .contains("aws:SecureTransport=false"));
    }
}
