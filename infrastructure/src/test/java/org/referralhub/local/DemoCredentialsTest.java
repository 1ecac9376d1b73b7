package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.config.ApiKeys;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.config.HubConfiguration;

class DemoCredentialsTest {

    @Test
    void everyDemoKeyOpensItsOwnAgencyAndNoOther() {
        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "http://x"));
        Map<String, String> keys = LocalHub.demoKeys();
        assertThat(keys.keySet()).containsExactlyInAnyOrderElementsOf(config.agencies().stream().map(a -> a.id()).toList());
        keys.forEach((agency, key) -> {
            assertThat(key).startsWith("rhk_" + agency + "_");
            assertThat(config.agenciesByKeyHash().get(ApiKeys.hash(key)).id()).isEqualTo(agency);
        });
    }

    @Test
    void theDemoAdminTokenIsAnAdministratorsAndNoAgencysKey() {
        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "http://x"));
        String token = LocalHub.demoAdminToken();
        assertThat(config.adminByTokenHash(ApiKeys.hash(token))).get().extracting(a -> a.name()).isEqualTo("program-admin");
        assertThat(config.agenciesByKeyHash()).doesNotContainKey(ApiKeys.hash(token));
    }

    @Test
    void everyDemoSftpPasswordOpensItsOwnAccount() {
        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "http://x"));
        Map<String, String> passwords = LocalHub.demoSftpPasswords();
        assertThat(passwords).hasSize(8);
        passwords.forEach((user, password) -> {
            var account = org.referralhub.files.SftpLogin.account(config, user).orElseThrow();
            assertThat(org.referralhub.config.Passwords.matches(password, account.passwordHash())).isTrue();
            assertThat(org.referralhub.config.Passwords.matches(password + "x", account.passwordHash())).isFalse();
        });
    }

    @Test
    void everyDemoPartnerKeyIsItsOwnPartners() {
        HubConfiguration config = ConfigurationLoader.load("classpath:hub-config.yaml", Map.of("hubBaseUrl", "http://x"));
        Map<String, String> keys = LocalHub.demoPartnerKeys();
        assertThat(keys).hasSize(5);
        keys.forEach((partner, key) -> assertThat(config.partnerByKeyHash(ApiKeys.hash(key)).orElseThrow().id()).isEqualTo(partner));
        assertThat(config.agencyByKeyHash(ApiKeys.hash(keys.get("humber")))).isEmpty();
    }
}
