package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.referralhub.config.ApiKeys;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Passwords;
import org.referralhub.files.SftpLogin;

class DemoCredentialsTest {

    /** Stand-ins for the demo's signing secrets, which live in a secret store, not in the configuration. */
    public static final Function<String, String> DEMO_SECRETS =
            name -> "whsec_" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8));


    @Test
    void everyDemoKeyOpensItsOwnAgencyAndNoOther() {
        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "https://x.example"),
                DEMO_SECRETS);
        Map<String, String> keys = LocalHub.demoKeys();
        assertThat(keys.keySet()).containsExactlyInAnyOrderElementsOf(config.agencies().stream().map(a -> a.id()).toList());
        keys.forEach((agency, key) -> {
            assertThat(key).startsWith("rhk_" + agency + "_");
            assertThat(config.agenciesByKeyHash().get(ApiKeys.hash(key)).id()).isEqualTo(agency);
        });
    }

    @Test
    void theDemoAdminTokenIsAnAdministratorsAndNoAgencysKey() {
        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "https://x.example"),
                DEMO_SECRETS);
        String token = LocalHub.demoAdminToken();
        assertThat(config.adminByTokenHash(ApiKeys.hash(token))).get().extracting(a -> a.name()).isEqualTo("program-admin");
        assertThat(config.agenciesByKeyHash()).doesNotContainKey(ApiKeys.hash(token));
    }

    @Test
    void everyDemoSftpPasswordOpensItsOwnAccount() {
        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "https://x.example"),
                DEMO_SECRETS);
        Map<String, String> passwords = LocalHub.demoSftpPasswords();
        assertThat(passwords).hasSize(8);
        passwords.forEach((user, password) -> {
            var account = SftpLogin.account(config, user).orElseThrow();
            assertThat(Passwords.matches(password, account.passwordHash())).isTrue();
            assertThat(Passwords.matches(password + "x", account.passwordHash())).isFalse();
        });
    }

    @Test
    void everyDemoPartnerKeyIsItsOwnPartners() {
        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "https://x.example"),
                DEMO_SECRETS);
        Map<String, String> keys = LocalHub.demoPartnerKeys();
        assertThat(keys).hasSize(5);
        keys.forEach((partner, key) -> assertThat(config.partnerByKeyHash(ApiKeys.hash(key)).orElseThrow().id()).isEqualTo(partner));
        assertThat(config.agencyByKeyHash(ApiKeys.hash(keys.get("humber")))).isEmpty();
    }
}
