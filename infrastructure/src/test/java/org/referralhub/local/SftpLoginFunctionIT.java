package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.admin.Administration;
import org.referralhub.functions.SftpLoginFunction;
import org.referralhub.referral.CanonicalJson;

/**
 * Transfer Family's custom identity provider: the function answers each login from the configuration in force, so
 * an agency or key an administrator adds logs in at once.
 */
class SftpLoginFunctionIT extends HubOnDynamoDbLocal {

    private static final String ROLE = "arn:aws:iam::123456789012:role/referral-hub-SftpUserRole";

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("SFTP_USER_ROLE_ARN", ROLE, "FILE_DROP_BUCKET", "referral-hub-file-drops-123456789012");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(String name) throws Exception {
        try (InputStream in = SftpLoginFunctionIT.class.getClassLoader().getResourceAsStream("events/" + name)) {
            return CanonicalJson.MAPPER.readValue(in, HashMap.class);
        }
    }

    @Test
    void anAgencysPasswordOpensItsOwnHomeOnlyAndAWrongOneNothing() throws Exception {
        SftpLoginFunction function = new SftpLoginFunction(hub);
        Map<String, Object> granted = function.handleRequest(event("transfer-family-password-login.json"),
                new LocalLambdaContext("SftpLoginFunction"));
        assertThat(granted).containsEntry("Role", ROLE).containsEntry("HomeDirectoryType", "LOGICAL")
                .doesNotContainKey("PublicKeys");
        assertThat(CanonicalJson.MAPPER.readTree((String) granted.get("HomeDirectoryDetails")).toString())
                .isEqualTo("[{\"Entry\":\"/\",\"Target\":\"/referral-hub-file-drops-123456789012/cics\"}]");

        Map<String, Object> wrong = event("transfer-family-password-login.json");
        wrong.put("password", "guess");
        assertThat(function.handleRequest(wrong, new LocalLambdaContext("SftpLoginFunction"))).isEmpty();
        Map<String, Object> stranger = event("transfer-family-password-login.json");
        stranger.put("username", "nobody");
        assertThat(function.handleRequest(stranger, new LocalLambdaContext("SftpLoginFunction"))).isEmpty();
    }

    @Test
    void aKeyAddedByAnAdministratorIsOfferedAtTheNextLogin() throws Exception {
        SftpLoginFunction function = new SftpLoginFunction(hub);
        assertThat(function.handleRequest(event("transfer-family-key-login.json"), new LocalLambdaContext("SftpLoginFunction")))
                .as("no key yet").isEmpty();
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGNpY3MtY29hY2gtbGFwdG9wLWtleS1mb3ItdGVzdHM= coach@cics";
        var patch = CanonicalJson.MAPPER.createObjectNode();
        patch.putObject("sftp").putArray("authorizedKeys").add(key);
        hub.services().administration().patch(Administration.Kind.AGENCIES, "cics", patch, "test", null);
        Map<String, Object> granted = function.handleRequest(event("transfer-family-key-login.json"),
                new LocalLambdaContext("SftpLoginFunction"));
        assertThat(granted).containsEntry("PublicKeys", List.of(key)).containsEntry("Role", ROLE);
    }
}
