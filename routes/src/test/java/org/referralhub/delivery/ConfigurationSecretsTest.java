package org.referralhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.referralhub.config.PartnerChannel;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.InvalidConfigurationException;

class ConfigurationSecretsTest {

    /** A store in memory that counts its reads. */
    private static final class Vault implements SecretStore {
        final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public byte[] get(String name) {
            reads.incrementAndGet();
            byte[] secret = secrets.get(name);
            if (secret == null) {
                throw new IllegalStateException("no secret named '" + name + "'");
            }
            return secret;
        }

        @Override
        public void put(String name, byte[] secret) {
            secrets.put(name, secret);
        }
    }

    private static final String CONFIG = """
            programs:
              - { id: p, name: P }
            agencies:
              - id: costi
                name: COSTI
                program: p
                signedWebhooks: { signingSecret: "whsec_Y2FsbHMtc2VjcmV0" }
                notifications: { webhook: { url: "https://costi.example/n", signingSecret: "{{secret:kept-name}}" } }
            partners:
              - id: humber
                name: Humber
                intake: { channel: webhook, url: "https://humber.example/in", signingSecret: "whsec_ZGVsaXZlcmllcw==" }
            """;

    @Test
    void plainSecretsMoveToTheStoreAndTheConfigurationKeepsOnlyTheirNames() {
        Vault vault = new Vault();
        ConfigurationSecrets secrets = new ConfigurationSecrets(vault, "stack-");
        ObjectNode config = ConfigurationLoader.readText(CONFIG);

        List<String> made = secrets.seal(config);

        assertThat(made).hasSize(2);
        assertThat(config.toString()).doesNotContain("whsec_").contains("{{secret:kept-name}}");
        String partnerRef = config.at("/partners/0/intake/signingSecret").asText();
        assertThat(partnerRef).matches("\\{\\{secret:stack-signing-partner-humber-deliveries-[0-9a-f]{10}}}");
        assertThat(config.at("/agencies/0/signedWebhooks/signingSecret").asText())
                .matches("\\{\\{secret:stack-signing-agency-costi-calls-[0-9a-f]{10}}}");
        String name = partnerRef.substring("{{secret:".length(), partnerRef.length() - 2);
        assertThat(new String(vault.secrets.get(name), StandardCharsets.UTF_8)).isEqualTo("whsec_ZGVsaXZlcmllcw==");
        assertThat(secrets.seal(config)).as("sealing twice makes nothing new").isEmpty();
    }

    @Test
    void readingFillsTheNamesInFromTheStoreOnceEach() {
        Vault vault = new Vault();
        vault.put("kept-name", "whsec_bm90aWNlcw==".getBytes(StandardCharsets.UTF_8));
        ConfigurationSecrets secrets = new ConfigurationSecrets(vault, "");
        ObjectNode config = ConfigurationLoader.readText(CONFIG);
        secrets.seal(config);
        int before = vault.reads.get();

        for (int i = 0; i < 3; i++) {
            var read = ConfigurationLoader.resolve(config, Map.of(), secrets);
            assertThat(((PartnerChannel.Webhook) read.partner("humber").orElseThrow().intake()).signingSecret()).isEqualTo("whsec_ZGVsaXZlcmllcw==");
            assertThat(read.agency("costi").orElseThrow().notifications().webhook().signingSecret())
                    .isEqualTo("whsec_bm90aWNlcw==");
        }
        assertThat(vault.reads.get() - before).as("names never change value: read once, then remembered").isEqualTo(1);
    }

    @Test
    void aNameTheStoreDoesNotHoldIsAConfigurationProblemThatNamesItAndNoValue() {
        ConfigurationSecrets secrets = new ConfigurationSecrets(new Vault(), "");
        ObjectNode config = ConfigurationLoader.readText(CONFIG.replace("whsec_Y2FsbHMtc2VjcmV0", "{{secret:missing-one}}")
                .replace("whsec_ZGVsaXZlcmllcw==", "{{secret:missing-two}}"));
        assertThatThrownBy(() -> ConfigurationLoader.resolve(config, Map.of(), secrets))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("no secret named [missing-one, kept-name, missing-two] in the secret store");
    }
}
