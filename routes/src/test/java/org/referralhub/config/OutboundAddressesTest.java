package org.referralhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In AWS the hub calls public addresses only: an address an administrator types cannot make it call the instance
 * metadata service, the VPC or itself — neither when the configuration is saved nor at delivery.
 */
class OutboundAddressesTest {

    @Test
    void inAwsTheHubsOwnNetworkAndTheMetadataServiceAreRefused() {
        List<String> refused = List.of("http://127.0.0.1:8080/x", "http://localhost:8080/x", "https://api.localhost/x",
                "https://169.254.169.254/latest/meta-data/iam/security-credentials/", "https://[fd00:ec2::254]/latest",
                "https://10.0.4.17/in", "https://172.16.0.1/in", "https://192.168.1.10/in", "https://100.64.3.2/in",
                "https://0.0.0.0/in", "https://[::1]/in", "https://no-such-host.invalid/in");
        assertThat(refused).allSatisfy(url -> assertThat(OutboundAddresses.PUBLIC.problem(url)).as(url).isPresent());
        assertThat(OutboundAddresses.PUBLIC.problem("https://93.184.216.34/referrals")).isEmpty();
        assertThatThrownBy(() -> OutboundAddresses.PUBLIC.check("https://169.254.169.254/latest"))
                .isInstanceOf(OutboundAddresses.Refused.class).hasMessageContaining("metadata")
                .hasMessageNotContaining("169.254");
        assertThat(refused).allSatisfy(url -> assertThat(OutboundAddresses.ANYWHERE.problem(url)).isEmpty());
        assertThat(OutboundAddresses.of("public")).isEqualTo(OutboundAddresses.PUBLIC);
        assertThat(OutboundAddresses.of(null)).isEqualTo(OutboundAddresses.ANYWHERE);
    }

    @Test
    void aConfigurationNamingThemIsRefusedWithEveryPartnerAndAgencyNamed() {
        HubConfiguration config = ConfigurationLoader.parse("""
                programs: [{ id: p }]
                agencies: [{ id: a, program: p, notifications: { webhook: { url: "http://127.0.0.1:9/n", signingSecret: whsec_c2VjcmV0 } } }]
                partners: [{ id: x, intake: { channel: webhook, url: "https://169.254.169.254/in", signingSecret: whsec_c2VjcmV0 } }]
                routing: { rules: [], fallbackPartner: x }
                """, Map.of());
        assertThat(OutboundAddresses.PUBLIC.problems(config)).hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("partner 'x'"))
                .anySatisfy(p -> assertThat(p).startsWith("agency 'a'"));
        assertThat(OutboundAddresses.ANYWHERE.problems(config)).isEmpty();
    }
}
