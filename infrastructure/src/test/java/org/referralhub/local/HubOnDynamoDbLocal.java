package org.referralhub.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.delivery.DirectorySecretStore;
import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;
import org.referralhub.store.ReferralTableDefinition;

/** For handler tests: one DynamoDB Local per class, and per test a hub on a table of its own and fresh directories. */
abstract class HubOnDynamoDbLocal {

    private static DynamoDbLocalServer dynamo;
    protected Hub hub;

    @TempDir
    protected Path data;

    @BeforeAll
    static void startDynamo() throws Exception {
        dynamo = DynamoDbLocalServer.start(LocalHub.freePort(), null);
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    @BeforeEach
    void startHub() {
        String table = "referrals-" + UUID.randomUUID();
        ReferralTableDefinition.ensureExists(URI.create(dynamo.endpoint()), table);
        Map<String, String> settings = new HashMap<>(Map.of(
                HubSettings.REFERRALS_TABLE, table,
                HubSettings.ARCHIVE_DIR, data.resolve("archive").toString(),
                HubSettings.FILE_DROP_DIR, data.resolve("drops").toString(),
                HubSettings.MAIL_DROP_DIR, data.resolve("mail").toString(),
                HubSettings.AWS_ENDPOINT_URL, dynamo.endpoint(),
                HubSettings.HUB_BASE_URL, "http://localhost:9",
                HubSettings.KEY_STORE_DIR, data.resolve("keys").toString()));
        settings.putAll(extraSettings());
        // the demo's signing secrets, as an operator would have put them in the secret store
        LocalHub.makeMissingSigningSecrets(settings.getOrDefault(HubSettings.HUB_CONFIG, HubSettings.DEFAULT_CONFIG),
                new DirectorySecretStore(data.resolve("keys")));
        hub = Hub.start(HubSettings.of(settings));
    }

    /** Settings a test class adds to (or puts in place of) the fixture's. */
    protected Map<String, String> extraSettings() {
        return Map.of();
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }
}
