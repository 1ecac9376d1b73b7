package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Set;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.referralhub.camel.Endpoints;
import org.referralhub.files.SftpLogin;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;

/**
 * The SFTP server's identity provider (Transfer Family, custom identity provider of type AWS_LAMBDA): each login
 * attempt is decided from the configuration in force, so an agency, key or password an administrator adds works
 * without a redeploy. An empty answer refuses the login.
 */
public final class SftpLoginFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** What this function's events need of the hub. */
    public static final Set<Wing> WINGS = Set.of(Wing.FILES);

    private final ProducerTemplate routes;

    public SftpLoginFunction() {
        this(FunctionRuntime.hub(WINGS));
    }

    public SftpLoginFunction(Hub hub) {
        this.routes = hub.producer();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        SftpLogin.Attempt attempt = new SftpLogin.Attempt(text(event, "username"), text(event, "password"),
                text(event, "protocol"), text(event, "sourceIp"));
        return routes.requestBody(Endpoints.SFTP_LOGIN, attempt, Map.class);
    }

    private static String text(Map<String, Object> event, String name) {
        Object value = event.get(name);
        return value == null ? null : value.toString();
    }
}
