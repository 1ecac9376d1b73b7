package org.referralhub.camel.dispatch;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.referralhub.config.OutboundAddresses;
import org.referralhub.delivery.PartnerPause;
import org.referralhub.delivery.RetryAfter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place delivery failures are handled: a failure after referrals were claimed becomes the failed outcome of
 * their attempt, which the dispatcher records with its retry scheduled; a failure before (the store unreachable)
 * propagates, so the trigger retries.
 */
public final class DeliveryErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "delivery";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryErrorHandling.class);

    private final PartnerPause.Pauser pauser;
    private final Clock clock;

    /** @param pauser pauses a partner whose endpoint answered {@code 410 Gone} */
    public DeliveryErrorHandling(PartnerPause.Pauser pauser, Clock clock) {
        this.pauser = pauser;
        this.clock = clock;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                    .onWhen(exchangeProperty(ClaimedDelivery.PROPERTY).isNotNull())
                    .handled(true)
                    .process(this::recordFailure)
                .end();
    }

    private void recordFailure(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ClaimedDelivery claimed = ClaimedDelivery.of(exchange);
        if (hubFault(cause)) {
            // the hub's own store failed (a secret it keeps, say): that is no attempt of the partner's to count; the
            // lease runs out and the sweep tries again, under the same idempotency id
            LOG.warn("delivery of {} referral(s) interrupted by the hub's store ({}); retried after the lease",
                    claimed.referrals().size(), cause.getClass().getSimpleName());
            return;
        }
        Integer status = cause instanceof HttpOperationFailedException http ? http.getStatusCode() : null;
        // a partner that says when to come back (429, 503…) is not tried sooner
        Duration retryAfter = cause instanceof HttpOperationFailedException http
                ? RetryAfter.of(http.getResponseHeaders(), claimed.attemptStartedAt()) : null;
        claimed.failed(status, describe(cause), retryAfter);
        if (PartnerPause.gone(status) && !claimed.partner().isPaused()) {
            // the endpoint is gone: no more attempts until an administrator gives the partner's new address
            LOG.warn("partner {} answered 410 Gone: its deliveries are paused", claimed.partner().id());
            pauser.pause(claimed.partner(), PartnerPause.goneAt(clock.instant()));
        }
    }

    /** The failure is the hub's own store's (an AWS SDK error), not the partner's or the channel's. */
    static boolean hubFault(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SdkException) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong, in words that never carry client data. */
    static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return "partner answered HTTP " + http.getStatusCode();
            }
            if (t instanceof OutboundAddresses.Refused refused) {
                return refused.getMessage();
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t.getClass().getName().startsWith("jakarta.mail")) {
                return "mail server refused or unreachable";
            }
            if (t instanceof InterruptedIOException) {
                return "timed out";
            }
            if (t.getClass().getName().startsWith("com.jcraft.jsch")) {
                String message = String.valueOf(t.getMessage());
                if (message.contains("HostKey") || message.contains("reject")) {
                    return "SFTP server's host key does not match its known_hosts entry";
                }
                if (message.contains("Auth fail")) {
                    return "SFTP login refused";
                }
                return "SFTP connection failed";
            }
        }
        return cause.getClass().getSimpleName();
    }
}
