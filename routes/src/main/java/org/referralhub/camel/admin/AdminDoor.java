package org.referralhub.camel.admin;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.SignInLimit;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.referralhub.referral.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrators' door, apart from agencies' and partners': a bearer token of an administrator in the
 * configuration, or — in AWS, where the admin routes are IAM-authorized — the IAM principal API Gateway verified (the
 * handler passes it in the {@value #IAM_PRINCIPAL} pseudo-header only then). Failed tokens count toward the sign-in
 * limit.
 */
public final class AdminDoor {

    /** Set by the admin handler from API Gateway's IAM authorizer context, never from the client's headers. */
    public static final String IAM_PRINCIPAL = "x-hub-iam-principal";
    private static final String DOOR = "admin-token";
    private static final String ADMINISTRATOR = "administrator";
    private static final Logger LOG = LoggerFactory.getLogger(AdminDoor.class);

    private final ConfigurationSource configs;
    private final SignInLimit signIns;

    public AdminDoor(ConfigurationSource configs, SignInLimit signIns) {
        this.configs = configs;
        this.signIns = signIns;
    }

    /** Who signed in, once {@link #signIn} let them. */
    public static String administrator(Exchange exchange) {
        return exchange.getProperty(ADMINISTRATOR, String.class);
    }

    /** Keeps the request (body: {@link ApiRequest}) and finds the administrator, or refuses (401, 429). */
    public void signIn(Exchange exchange) throws InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        String principal = request.header(IAM_PRINCIPAL);
        if (principal != null && !principal.isBlank()) {
            exchange.setProperty(ADMINISTRATOR, principal);
            return;
        }
        signIns.refuseIfBlocked(DOOR, request);
        String authorization = request.header("authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiProblem(401, "unauthenticated", "Missing admin token",
                    "Send an administrator's token as Authorization: Bearer <token>.");
        }
        HubConfiguration.Admin admin = configs.current().adminByTokenHash(Sha256.hex(authorization.substring(7).trim()))
                .orElseThrow(() -> {
                    LOG.warn("refused an unknown admin token from {}", request.sourceIp());
                    return signIns.failed(DOOR, request, new ApiProblem(401, "unauthenticated",
                            "Unknown admin token", "The token is not a current administrator's token."));
                });
        exchange.setProperty(ADMINISTRATOR, admin.name());
    }
}
