package org.referralhub.camel.intake;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.referralhub.archive.RawArchive;
import org.referralhub.archive.RawPayload;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.camel.SignInLimit;
import org.referralhub.config.Agency;
import org.referralhub.config.ApiKeys;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.referral.Channel;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agencies' HTTP door, which every HTTP intake goes through, in this order: who calls ({@link #signIn} — an
 * API key, or a Standard Webhooks signature; failed sign-ins counted, a source that failed too often refused), then
 * what it brings ({@link #admit} — the size checked, the raw body archived byte for byte before anything reads it),
 * so no accepted input is ever lost. What the door found stays on the exchange as a {@link Caller} and an
 * {@link Arrival}.
 */
public final class AgencyDoor {

    public static final String API_KEY_HEADER = "x-api-key";
    public static final String IDEMPOTENCY_KEY_HEADER = "idempotency-key";
    /** Failed sign-ins with agency keys and signatures are counted under this door. */
    public static final String DOOR = "agency-key";
    private static final String CALLER = "agencyCaller";
    private static final String ARRIVAL = "agencyArrival";
    private static final Logger LOG = LoggerFactory.getLogger(AgencyDoor.class);

    /** The agency calling, and whether it proved itself by signing the call (then the message id is its key). */
    public record Caller(Agency agency, boolean signed) {
    }

    /** What the call brought, archived: the receipt and where the raw body is kept. */
    public record Arrival(String receiptId, String rawPayloadRef, Instant receivedAt) {
    }

    private final ConfigurationSource configs;
    private final SignInLimit signIns;
    private final RawArchive archive;
    private final Clock clock;
    private final int maxBodyBytes;

    public AgencyDoor(ConfigurationSource configs, SignInLimit signIns, RawArchive archive, Clock clock, int maxBodyBytes) {
        this.configs = configs;
        this.signIns = signIns;
        this.archive = archive;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    public static ApiRequest request(Exchange exchange) {
        return exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
    }

    public static Caller caller(Exchange exchange) {
        return exchange.getProperty(CALLER, Caller.class);
    }

    public static Arrival arrival(Exchange exchange) {
        return exchange.getProperty(ARRIVAL, Arrival.class);
    }

    /** Keeps the request (body: {@link ApiRequest}) and finds the agency calling, or refuses it (401, 429). */
    public void signIn(Exchange exchange) throws InvalidPayloadException {
        ApiRequest request = exchange.getMessage().getMandatoryBody(ApiRequest.class);
        exchange.setProperty(ApiRequest.PROPERTY, request);
        signIns.refuseIfBlocked(DOOR, request);
        String key = request.header(API_KEY_HEADER);
        if ((key == null || key.isBlank()) && request.header(WebhookSignature.SIGNATURE_HEADER) != null) {
            exchange.setProperty(CALLER, new Caller(signedBy(request), true));
            return;
        }
        if (key == null || key.isBlank()) {
            throw new ApiProblem(401, "unauthenticated", "Missing API key",
                    "Send your agency's API key in the X-Api-Key header.");
        }
        Agency agency = configs.current().agencyByKeyHash(ApiKeys.hash(key.trim())).orElse(null);
        if (agency == null) {
            LOG.warn("refused an unknown API key from {}", request.sourceIp());
            throw signIns.failed(DOOR, request, new ApiProblem(401, "unauthenticated", "Unknown API key",
                    "The X-Api-Key is not a current key of any agency."));
        }
        exchange.setProperty(CALLER, new Caller(agency, false));
    }

    /**
     * An agency that signs its calls (Standard Webhooks) names itself with {@code ?agency=<id>} in the URL it posts
     * to; the signature must verify with that agency's secret and the timestamp be within five minutes.
     */
    private Agency signedBy(ApiRequest request) {
        String agencyId = request.query("agency");
        Agency agency = agencyId == null ? null : configs.current().agency(agencyId)
                .filter(a -> a.signedWebhooks() != null && a.signedWebhooks().signingSecret() != null).orElse(null);
        boolean valid = agency != null && "POST".equalsIgnoreCase(request.method())
                && new WebhookSignature(agency.signedWebhooks().signingSecret()).verify(
                        request.header(WebhookSignature.ID_HEADER), request.header(WebhookSignature.TIMESTAMP_HEADER),
                        request.header(WebhookSignature.SIGNATURE_HEADER),
                        new String(request.body(), StandardCharsets.UTF_8), clock.instant());
        if (!valid) {
            LOG.warn("refused a webhook signature from {}", request.sourceIp());
            throw signIns.failed(DOOR, request, new ApiProblem(401, "unauthenticated", "Invalid signature",
                    "The webhook-signature does not verify with the secret of the agency named by ?agency=, or "
                            + "webhook-timestamp is more than five minutes from now."));
        }
        return agency;
    }

    /** Checks the body's size (413) and archives it as it came, before anything reads it. */
    public void admit(Exchange exchange) {
        admit(exchange, Channel.WEBHOOK);
    }

    /** As {@link #admit(Exchange)}, for the FHIR door: the archive records the channel it came by. */
    public void admitFhir(Exchange exchange) {
        admit(exchange, Channel.FHIR);
    }

    /**
     * What makes a retried call have no second effect: its Idempotency-Key, or a signed call's message id, and the
     * body's fingerprint (the same key with another body is refused), as headers for {@link Endpoints#STORE_REFERRAL}.
     */
    public static void keyRequest(Exchange exchange) {
        ApiRequest request = request(exchange);
        String idempotencyKey = request.header(IDEMPOTENCY_KEY_HEADER);
        if ((idempotencyKey == null || idempotencyKey.isBlank()) && caller(exchange).signed()) {
            // a signed call's message id serves as its Idempotency-Key: a replayed or retried call has no second effect
            idempotencyKey = request.header(WebhookSignature.ID_HEADER);
        }
        exchange.getMessage().setHeader(Endpoints.IDEMPOTENCY_KEY, idempotencyKey);
        exchange.getMessage().setHeader(Endpoints.REQUEST_FINGERPRINT, Sha256.hex(request.body()));
    }

    private void admit(Exchange exchange, Channel channel) {
        ApiRequest request = request(exchange);
        int size = request.body().length;
        if (size > maxBodyBytes) {
            throw new ApiProblem(413, "too-large", "Payload too large",
                    "A referral body may be at most " + maxBodyBytes + " bytes; this one has " + size + ".");
        }
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String receiptId = ReferralIds.newId(receivedAt);
        String ref = archive.store(new RawPayload(receiptId, channel, caller(exchange).agency().id(), receivedAt,
                request.header("content-type"), request.body()));
        exchange.setProperty(ApiRequest.RECEIPT_ID, receiptId);
        exchange.setProperty(ARRIVAL, new Arrival(receiptId, ref, receivedAt));
    }
}
