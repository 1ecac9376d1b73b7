package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.config.ApiKeys;
import org.referralhub.config.PartnerChannel;
import org.referralhub.store.ConfigurationStore;
import org.referralhub.store.StoredConfiguration;

/** Every change is a version with who, when and what — never a secret — and an earlier version can come back. */
class AdminAuditIT {

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static AdminClient admin;
    private static final String TABLE = "referrals-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data).withTableName(TABLE));
        admin = new AdminClient(hub.baseUrl(), LocalHub.demoAdminToken());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void changesAreAuditedWithoutSecretsAndRestoreBringsBackAllButCredentials() throws Exception {
        JsonNode first = admin.get("/config/versions").body().get("versions");
        assertThat(first.get(first.size() - 1).get("version").asLong()).isEqualTo(1);
        assertThat(first.get(first.size() - 1).get("summary").asText()).startsWith("loaded ").endsWith(" at first start");

        assertThat(admin.send("PATCH", "/partners/humber", "{\"name\":\"Humber Employment\",\"capacity\":{\"monthlyQuota\":30}}")
                .status()).isEqualTo(200);
        AdminClient.Reply rotated = admin.send("POST", "/partners/humber/signing-secret/rotate", null);
        String secret = rotated.body().at("/secrets/signingSecret").asText();
        String cicsKey = LocalHub.demoKeys().get("cics");
        String cicsKeyId = ApiKeys.hash(cicsKey).substring(0, 12);
        assertThat(admin.send("DELETE", "/agencies/cics/keys/" + cicsKeyId, null).status()).isEqualTo(200);
        assertThat(new HubClient(hub.baseUrl()).get("/v1/referrals/nothing", cicsKey).status()).isEqualTo(401);

        AdminClient.Reply history = admin.get("/config/versions?limit=3");
        JsonNode versions = history.body().get("versions");
        assertThat(versions).hasSize(3);
        JsonNode revoked = versions.get(0);
        assertThat(revoked.get("by").asText()).isEqualTo("program-admin");
        assertThat(revoked.get("summary").asText()).isEqualTo("revoked API key " + cicsKeyId + " of agency 'cics'");
        assertThat(revoked.at("/changes/0/path").asText()).isEqualTo("/agencies/cics/apiKeys");
        JsonNode rotation = versions.get(1);
        assertThat(rotation.at("/changes/0/path").asText()).isEqualTo("/partners/humber/intake/signingSecret");
        assertThat(rotation.at("/changes/0/secret").asBoolean()).isTrue();
        JsonNode rename = versions.get(2);
        assertThat(rename.get("changes").toString())
                .contains("{\"op\":\"replace\",\"path\":\"/partners/humber/name\",\"from\":\"Humber Community Employment Services\",\"to\":\"Humber Employment\"}")
                .contains("{\"op\":\"add\",\"path\":\"/partners/humber/capacity\",\"to\":{\"monthlyQuota\":30}}");
        assertThat(rename.get("at").asText()).isNotEmpty();

        String everything = admin.get("/config/versions?limit=100").text() + admin.get("/config").text()
                + admin.get("/config/versions/1").text() + admin.get("/partners").text() + admin.get("/agencies").text();
        assertThat(everything).doesNotContain("whsec_").doesNotContain("pbkdf2").doesNotContain(secret)
                .doesNotContain(ApiKeys.hash(cicsKey)).doesNotContain("tokenHashes");

        long before = admin.get("/config").version();
        AdminClient.Reply restored = admin.send("POST", "/config/versions/1/restore", null);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.version()).isEqualTo(before + 1);
        assertThat(admin.get("/partners/humber").body().get("name").asText()).isEqualTo("Humber Community Employment Services");
        assertThat(admin.get("/config/versions?limit=1").body().at("/versions/0/restoredFrom").asLong()).isEqualTo(1);
        assertThat(((PartnerChannel.Webhook) hub.hub().services().config().partner("humber").orElseThrow().intake()).signingSecret())
                .as("a restore keeps today's secrets").isEqualTo(secret);
        assertThat(new HubClient(hub.baseUrl()).get("/v1/referrals/nothing", cicsKey).status())
                .as("a revoked key stays revoked").isEqualTo(401);
        assertThat(admin.send("POST", "/config/versions/999/restore", null).status()).isEqualTo(404);
    }

    @Test
    void signingSecretsLiveInTheKeyStoreAndTheTableHoldsOnlyTheirNames() throws Exception {
        AdminClient.Reply rotated = admin.send("POST", "/partners/jobstart/signing-secret/rotate", null);
        String secret = rotated.body().at("/secrets/signingSecret").asText();
        assertThat(secret).startsWith("whsec_");
        AdminClient.Reply created = admin.send("POST", "/partners", """
                {"id":"keystore-check","name":"Key Store Check","intake":{"channel":"webhook","url":"https://partner.example/in",
                 "signingSecret":"whsec_c2VudC1ieS1hbi1hZG1pbmlzdHJhdG9yLTEyMzQ="}}""");
        assertThat(created.status()).isEqualTo(201);

        String table = tableText();
        assertThat(table).as("no secret in any item of the table: configuration versions, audit, anything")
                .doesNotContain(secret).doesNotContain("whsec_");
        Matcher name = Pattern
                .compile("\\{\\{secret:(referral-hub-signing-partner-jobstart-deliveries-[0-9a-f]{10})}}").matcher(table);
        assertThat(name.find()).as("the configuration names the new secret").isTrue();
        Path stored = data.resolve("keys").resolve(name.group(1));
        assertThat(Files.readString(stored)).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("keys")))).isEqualTo("rwx------");
        assertThat(table).containsPattern("\\{\\{secret:referral-hub-signing-partner-keystore-check-deliveries-[0-9a-f]{10}}}");
        assertThat(((PartnerChannel.Webhook) hub.hub().services().config().partner("jobstart").orElseThrow().intake()).signingSecret())
                .as("the hub signs with it").isEqualTo(secret);
        assertThat(((PartnerChannel.Webhook) hub.hub().services().config().partner("keystore-check").orElseThrow().intake()).signingSecret())
                .isEqualTo("whsec_c2VudC1ieS1hbi1hZG1pbmlzdHJhdG9yLTEyMzQ=");

        AdminClient.Reply dangling = admin.send("PATCH", "/partners/keystore-check",
                "{\"intake\":{\"signingSecret\":\"{{secret:referral-hub-no-such-secret}}\"}}");
        assertThat(dangling.status()).as("a name the store does not hold").isEqualTo(422);
        assertThat(dangling.text()).contains("no secret named [referral-hub-no-such-secret]");
        assertThat(admin.send("DELETE", "/partners/keystore-check", null).status()).isEqualTo(200);
    }

    /** Every item of the hub's table, as text, gzipped attributes (configuration versions) unpacked. */
    private static String tableText() {
        StringBuilder all = new StringBuilder();
        hub.hub().dynamo().scanPaginator(r -> r.tableName(TABLE)).items().forEach(item -> {
            all.append(item).append('\n');
            item.values().stream().filter(v -> v.b() != null).forEach(v -> {
                try (var in = new GZIPInputStream(v.b().asInputStream())) {
                    all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
                } catch (IOException notGzip) {
                    all.append(v.b().asUtf8String()).append('\n');
                }
            });
        });
        return all.toString();
    }

    @Test
    void anotherContainerPicksUpAChangeWithinTheCacheAgeWithoutARestart() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        StoredConfiguration local = (StoredConfiguration) hub.hub().services().configs();
        StoredConfiguration other = new StoredConfiguration(new ConfigurationStore(hub.hub().dynamo(), TABLE),
                local.placeholders(), local.secrets(), Duration.ofSeconds(30), clock);
        String before = other.current().partner("jobstart").orElseThrow().name();

        assertThat(admin.send("PATCH", "/partners/jobstart", "{\"name\":\"JobStart Toronto\"}").status()).isEqualTo(200);
        assertThat(hub.hub().services().config().partner("jobstart").orElseThrow().name())
                .as("in force at once where it was made").isEqualTo("JobStart Toronto");
        assertThat(other.current().partner("jobstart").orElseThrow().name()).as("within the cache age").isEqualTo(before);
        clock.advance(Duration.ofSeconds(31));
        assertThat(other.current().partner("jobstart").orElseThrow().name()).isEqualTo("JobStart Toronto");
    }

    @Test
    void aWholeConfigurationCanBeExportedAndImportedBackWithItsSecretsKept() throws Exception {
        AdminClient.Reply exported = admin.get("/config");
        String yaml = new ObjectMapper(new YAMLFactory())
                .writeValueAsString(exported.body()).replace("name: \"COSTI Immigrant Services\"", "name: \"COSTI\"");
        var request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/admin/v1/config"))
                .header("Authorization", "Bearer " + LocalHub.demoAdminToken()).header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(admin.get("/partners/costi").body().get("name").asText()).isEqualTo("COSTI");
        assertThat(((PartnerChannel.Webhook) hub.hub().services().config().partner("acces-employment").orElseThrow().intake()).signingSecret())
                .startsWith("whsec_");
        assertThat(admin.get("/config/versions?limit=1").body().at("/versions/0/changes").toString())
                .contains("/partners/costi/name").doesNotContain("signingSecret");
        long before = admin.get("/config").version();
        AdminClient.Reply broken = admin.send("PUT", "/config", "{\"agencies\":[\"not an agency\"],\"partners\":[42]}");
        assertThat(broken.status()).as("a malformed import is refused, not a crash").isEqualTo(422);
        assertThat(admin.get("/config").version()).isEqualTo(before);
    }
}
