package org.referralhub.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.referralhub.config.HubConfiguration;
import org.referralhub.referral.Sha256;
import org.referralhub.config.Partner;
import org.referralhub.config.PartnerChannel;
import org.referralhub.delivery.WebhookSignature;
import org.referralhub.referral.CanonicalJson;

/**
 * Stand-ins for the delivery partners' webhooks (and the agencies' notice webhooks), so a delivery can be seen on one
 * machine. Receivers are named {@code partners/<id>} or {@code agencies/<id>}. Each verifies the
 * Standard Webhooks signature with the partner's secret, notes a repeated webhook-id (as a careful partner would),
 * and keeps what it received for {@code GET /sandbox/partners/{id}/deliveries}. It can be told to fail its next
 * requests, to watch the hub retry. What a receiver holds (full referrals) and its failure switch are for
 * administrators only: {@link #administrator} checks their token, as the admin API does.
 */
final class SandboxPartners {

    /** One request a sandbox partner received. */
    record Received(Instant receivedAt, String webhookId, boolean signatureVerified, boolean repeat,
                    int answeredStatus, JsonNode referral) {
    }

    private final Supplier<HubConfiguration> config;
    private final Clock clock;
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> seenIds = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    SandboxPartners(Supplier<HubConfiguration> config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Whether an {@code Authorization} header carries a current administrator's token. */
    boolean administrator(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && config.get().adminByTokenHash(Sha256.hex(authorization.substring(7).trim())).isPresent();
    }

    /**
     * How a receiver misbehaves: its next {@code remaining} requests, or every request until {@code until}, answered
     * {@code status} — after {@code hangMillis} of silence when it hangs.
     */
    private record Failures(AtomicInteger remaining, Instant until, int status, long hangMillis) {
        boolean now(Instant at) {
            if (until != null) {
                return at.isBefore(until);
            }
            return remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }
    }

    /**
     * The secret a receiver verifies with: {@code partners/<id>} a partner's signing secret, {@code agencies/<id>} the
     * secret of an agency's notices.
     */
    private String secret(String receiver) {
        String[] kind = receiver.split("/", 2);
        if (kind[0].equals("agencies")) {
            return config.get().agency(kind[1]).map(a -> a.notifications())
                    .filter(n -> n != null && n.webhook() != null).map(n -> n.webhook().signingSecret()).orElse(null);
        }
        return config.get().partner(kind[1]).map(Partner::intake).filter(PartnerChannel.Webhook.class::isInstance)
                .map(intake -> ((PartnerChannel.Webhook) intake).signingSecret()).orElse(null);
    }

    /** A partner's webhook (or an agency's) was called: answers the HTTP status it gives back. */
    int receive(String partnerId, Map<String, String> headers, byte[] body) {
        String secret = secret(partnerId);
        if (secret == null) {
            return 404;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String id = headers.get(WebhookSignature.ID_HEADER);
        boolean verified = new WebhookSignature(secret).verify(id,
                headers.get(WebhookSignature.TIMESTAMP_HEADER), headers.get(WebhookSignature.SIGNATURE_HEADER),
                text, clock.instant());
        int status = 200;
        Failures failing = failures.get(partnerId);
        if (!verified) {
            status = 401;
        } else if (failing != null && failing.now(clock.instant())) {
            if (failing.hangMillis() > 0) {
                try {
                    Thread.sleep(failing.hangMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            status = failing.status();
        }
        boolean repeat = verified && status == 200
                && !seenIds.computeIfAbsent(partnerId, k -> ConcurrentHashMap.newKeySet()).add(id);
        JsonNode referral;
        try {
            referral = CanonicalJson.MAPPER.readTree(text);
        } catch (IOException e) {
            referral = NullNode.getInstance();
        }
        received.computeIfAbsent(partnerId, k -> new CopyOnWriteArrayList<>())
                .add(new Received(clock.instant(), id, verified, repeat, status, referral));
        return status;
    }

    /** The partner answers {@code status} to its next {@code count} signed requests. */
    void failNext(String partnerId, int count, int status) {
        failures.put(partnerId, new Failures(new AtomicInteger(count), null, status, 0));
    }

    /** The partner is down: it answers {@code status} to every request for {@code seconds}. */
    void downFor(String partnerId, long seconds, int status) {
        failures.put(partnerId, new Failures(new AtomicInteger(), clock.instant().plusSeconds(seconds), status, 0));
    }

    /** The partner hangs {@code hangMillis} before answering {@code status} to its next {@code count} requests. */
    void hangNext(String partnerId, int count, long hangMillis, int status) {
        failures.put(partnerId, new Failures(new AtomicInteger(count), null, status, hangMillis));
    }

    boolean knows(String receiver) {
        String[] kind = receiver.split("/", 2);
        return kind[0].equals("agencies") ? config.get().agency(kind[1]).isPresent() : config.get().partner(kind[1]).isPresent();
    }

    List<Received> deliveries(String partnerId) {
        return new ArrayList<>(received.getOrDefault(partnerId, List.of()));
    }

    Map<String, Object> summary(String partnerId) {
        List<Received> all = deliveries(partnerId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(partnerId.startsWith("agencies/") ? "agencyId" : "partnerId", partnerId.substring(partnerId.indexOf('/') + 1));
        out.put("count", all.size());
        out.put("deliveries", all);
        return out;
    }

    static String json(Object value) {
        return CanonicalJson.write(value);
    }
}
