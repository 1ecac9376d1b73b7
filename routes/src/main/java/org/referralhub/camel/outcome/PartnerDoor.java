package org.referralhub.camel.outcome;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.SignInLimit;
import org.referralhub.config.ApiKeys;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.Partner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partners' door: a partner's API key ({@code X-Api-Key}, {@code rhp_<partner>_…}); failed keys count toward the
 * sign-in limit, and a source that failed too often is refused even with a good one.
 */
public final class PartnerDoor {

    private static final String DOOR = "partner-key";
    private static final String PARTNER = "partner";
    private static final Logger LOG = LoggerFactory.getLogger(PartnerDoor.class);

    private final ConfigurationSource configs;
    private final SignInLimit signIns;

    public PartnerDoor(ConfigurationSource configs, SignInLimit signIns) {
        this.configs = configs;
        this.signIns = signIns;
    }

    /** The partner calling, once {@link #signIn} let it in. */
    public static Partner partner(Exchange exchange) {
        return exchange.getProperty(PARTNER, Partner.class);
    }

    /** Keeps the request (body: {@link ApiRequest}) and finds the partner calling, or refuses it (401, 429). */
    public void signIn(Exchange exchange) throws InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        signIns.refuseIfBlocked(DOOR, request);
        String key = request.header("x-api-key");
        if (key == null || key.isBlank()) {
            throw new ApiProblem(401, "unauthenticated", "Missing API key", "Send your partner API key in the X-Api-Key header.");
        }
        exchange.setProperty(PARTNER, configs.current().partnerByKeyHash(ApiKeys.hash(key.trim())).orElseThrow(() -> {
            LOG.warn("refused an unknown partner API key from {}", request.sourceIp());
            return signIns.failed(DOOR, request, new ApiProblem(401, "unauthenticated", "Unknown API key",
                    "The X-Api-Key is not a current key of any partner."));
        }));
    }
}
