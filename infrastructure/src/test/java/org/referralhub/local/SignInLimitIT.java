package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed sign-ins are counted per door and source: after 20 failures in ten minutes a source is refused at that door
 * — 429 with Retry-After, even with a good credential — while the other doors still let it in.
 */
class SignInLimitIT {

    @TempDir
    static Path data;
    private static LocalHub hub;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<String> get(String path, String header, String value) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header(header, value).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twentyWrongAgencyKeysShutTheAgencyDoorToThatAddressButNotThePartnersOrTheAdministratorsDoor() throws Exception {
        String good = LocalHub.demoKeys().get("cics");
        assertThat(get("/v1/referrals?limit=1", "X-Api-Key", good).statusCode()).isEqualTo(200);
        int refused = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 20; i++) {
            last = get("/v1/referrals?limit=1", "X-Api-Key", "rhk_cics_Guess" + i);
            if (last.statusCode() == 401) {
                refused++;
            }
        }
        assertThat(refused).isEqualTo(19);
        assertThat(last.statusCode()).as("the twentieth failure").isEqualTo(429);
        HttpResponse<String> withGoodKey = get("/v1/referrals?limit=1", "X-Api-Key", good);
        assertThat(withGoodKey.statusCode()).as("a good key from the same address, meanwhile").isEqualTo(429);
        assertThat(withGoodKey.headers().firstValue("Retry-After")).get().satisfies(s ->
                assertThat(Integer.parseInt(s)).isBetween(1, 600));
        assertThat(withGoodKey.body()).contains("too-many-failures").doesNotContain(good);

        // other doors count apart
        assertThat(get("/admin/v1/agencies", "Authorization", "Bearer " + LocalHub.demoAdminToken()).statusCode())
                .isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/partner/referrals/"
                                + "01M84355NZJFZWGBWCRN73267R/status")).header("X-Api-Key",
                                LocalHub.demoPartnerKeys().get("humber")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"accepted\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("the partner door").isEqualTo(404);
    }

    @Test
    void twentyWrongSftpPasswordsShutTheSftpDoorToThatAddressEvenForTheRightPassword() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (SftpAgency ignored = SftpAgency.withPassword(hub, "cet", "wrong-" + i)) {
                throw new AssertionError("a wrong password was let in");
            } catch (IOException refused) {
                // as expected
            }
        }
        try (SftpAgency ignored = SftpAgency.withPassword(hub, "cet", LocalHub.demoSftpPasswords().get("cet"))) {
            throw new AssertionError("a blocked address was let in");
        } catch (IOException refused) {
            assertThat(refused).isNotNull();
        }
    }
}
