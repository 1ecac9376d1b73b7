package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Isolation, door by door: an agency sees only its own referrals, a partner only those routed to it, an SFTP user
 * only its home, and no agency or partner credential opens the administrators' door.
 */
class IsolationIT {

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static HubClient http;
    private static String cicsReferral;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300));
        http = new HubClient(hub.baseUrl());
        // a CICS client in Etobicoke: routed to Humber
        String body = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                .replace("m2n6k1", "M9W 1A1").replace("CICS-2026-0001", "ISO-" + UUID.randomUUID());
        cicsReferral = http.postJson(LocalHub.demoKeys().get("cics"), body).body().get("referralId").asText();
        http.awaitReferral(cicsReferral, LocalHub.demoKeys().get("cics"),
                r -> "delivered".equals(r.at("/delivery/state").asText()), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static int status(String method, String path, String header, String value, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header(header, value)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void anAgencySeesOnlyItsOwnReferrals() throws Exception {
        assertThat(http.get("/v1/referrals/" + cicsReferral, LocalHub.demoKeys().get("cics")).status()).isEqualTo(200);
        for (String other : LocalHub.demoKeys().keySet()) {
            if (!other.equals("cics")) {
                assertThat(http.get("/v1/referrals/" + cicsReferral, LocalHub.demoKeys().get(other)).status())
                        .as(other).isEqualTo(404);
                assertThat(http.get("/v1/referrals?limit=100", LocalHub.demoKeys().get(other)).body().toString())
                        .as(other + "'s list").doesNotContain(cicsReferral);
            }
        }
    }

    @Test
    void aPartnerMovesOnlyReferralsRoutedToIt() throws Exception {
        for (var partner : LocalHub.demoPartnerKeys().entrySet()) {
            int answered = status("POST", "/v1/partner/referrals/" + cicsReferral + "/status", "X-Api-Key",
                    partner.getValue(), "{\"status\":\"accepted\"}");
            assertThat(answered).as(partner.getKey()).isEqualTo(partner.getKey().equals("humber") ? 200 : 404);
        }
        // and a partner key is no agency key, nor the other way round
        assertThat(http.get("/v1/referrals/" + cicsReferral, LocalHub.demoPartnerKeys().get("humber")).status())
                .isEqualTo(401);
        assertThat(status("POST", "/v1/partner/referrals/" + cicsReferral + "/status", "X-Api-Key",
                LocalHub.demoKeys().get("cics"), "{\"status\":\"accepted\"}")).isEqualTo(401);
    }

    @Test
    void noAgencyOrPartnerCredentialOpensTheAdministratorsDoor() throws Exception {
        for (String key : LocalHub.demoKeys().values()) {
            assertThat(status("GET", "/admin/v1/agencies", "Authorization", "Bearer " + key, null)).isEqualTo(401);
            assertThat(status("GET", "/admin/v1/referrals/" + cicsReferral, "X-Api-Key", key, null)).isEqualTo(401);
        }
        for (String key : LocalHub.demoPartnerKeys().values()) {
            assertThat(status("GET", "/admin/v1/agencies", "Authorization", "Bearer " + key, null)).isEqualTo(401);
        }
    }

    @Test
    void anSftpUserSeesOnlyItsOwnHome() throws Exception {
        try (SftpAgency cics = SftpAgency.withPassword(hub, "cics", LocalHub.demoSftpPasswords().get("cics"))) {
            cics.upload("inbound/iso-" + UUID.randomUUID() + ".csv", "First Name\n".getBytes(StandardCharsets.UTF_8));
        }
        try (SftpAgency cet = SftpAgency.withPassword(hub, "cet", LocalHub.demoSftpPasswords().get("cet"))) {
            assertThat(cet.list("/")).doesNotContain("cics");
            assertThat(cet.list("/..")).as("no way above its home").doesNotContain("cics");
            for (String path : new String[]{"../cics/inbound", "/../cics/results", "../../cics"}) {
                try {
                    assertThat(cet.list(path)).as(path).noneMatch(n -> n.startsWith("iso-"));
                } catch (IOException | UncheckedIOException refused) {
                    // refused outright: as good
                }
            }
        }
    }
}
