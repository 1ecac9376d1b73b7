package org.referralhub.camel.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.DeliveryPolicy;
import org.referralhub.config.Partner;
import org.referralhub.delivery.PartnerPause;
import org.referralhub.outcome.StatusReports;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox side: a referral whose delivery is due is claimed (so no two dispatchers send it), then handed to
 * the route of its partner's channel. Fed by the table's change feed and by a periodic sweep that picks
 * up retries whose backoff has passed, batches whose window has closed, and anything a feed missed.
 */
public final class DispatchRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchRoutes.class);
    private static final String DELIVER_BY = "deliverBy";
    private static final int SWEEP_LIMIT = 500;
    private static final String STARTED = "startedCount";
    private static final String DEADLINE = "sweepDeadline";

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final StatusReports reports;
    private final Clock clock;

    public DispatchRoutes(ConfigurationSource configs, ReferralStore store, StatusReports reports, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.reports = reports;
        this.clock = clock;
    }

    /** How long a claim holds: two full attempts, so a crashed dispatcher's claim runs out. */
    Duration lease() {
        DeliveryPolicy policy = configs.current().delivery();
        return Duration.ofSeconds(2L * (policy.connectTimeoutSeconds() + policy.responseTimeoutSeconds()));
    }

    @Override
    public void configure() {
        // the partner's channel names the delivery route: one of three fixed endpoints, never a configured value
        from(Endpoints.DISPATCH).routeId("dispatch").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::claimOne)
                .filter(exchangeProperty(ClaimedDelivery.PROPERTY).isNotNull())
                    .routingSlip(exchangeProperty(DELIVER_BY))
                .end();

        from(Endpoints.DISPATCH_BATCH).routeId("dispatch-batch").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::claimBatch)
                .filter(exchangeProperty(ClaimedDelivery.PROPERTY).isNotNull())
                    .routingSlip(exchangeProperty(DELIVER_BY))
                .end();

        // due deliveries in lanes, as many as a dispatcher makes at once, each started only before the deadline: a
        // partner that hangs holds one lane for its timeout, not the sweep — and the stale sweep and notices still run
        ExecutorService lanes = getContext().getExecutorServiceManager().newFixedThreadPool(this, "dispatch-sweep",
                configs.current().delivery().concurrentDeliveries());
        from(Endpoints.DISPATCH_DUE).routeId("dispatch-due")
                .process(this::sortDue)
                .split(simple("${exchangeProperty.singles}")).parallelProcessing().executorService(lanes)
                    .filter(this::beforeDeadline)
                        .to(Endpoints.DISPATCH)
                    .end()
                .end()
                .split(simple("${exchangeProperty.batches}")).parallelProcessing().executorService(lanes)
                    .filter(this::beforeDeadline)
                        .to(Endpoints.DISPATCH_BATCH)
                    .end()
                .end()
                .process(this::reportStarted);
    }

    /** Whether a delivery may still be started: before the sweep's deadline (none: always), and counted if so. */
    private boolean beforeDeadline(Exchange exchange) {
        Instant deadline = exchange.getProperty(DEADLINE, Instant.class);
        if (deadline != null && !clock.instant().isBefore(deadline)) {
            return false;
        }
        exchange.getProperty(STARTED, AtomicInteger.class).incrementAndGet();
        return true;
    }

    private void reportStarted(Exchange exchange) {
        int started = exchange.getProperty(STARTED, AtomicInteger.class).get();
        int due = exchange.getProperty("dueCount", Integer.class);
        if (started < due) {
            LOG.info("sweep: {} of {} due deliveries started before its deadline; the rest wait for the next one",
                    started, due);
        }
        exchange.getMessage().setBody(started);
    }

    /** Due deliveries: one by one, except those of partners that take batches, gathered per partner. */
    private void sortDue(Exchange exchange) {
        List<ReferralStore.Due> due = store.dueForDelivery(clock.instant(), SWEEP_LIMIT);
        List<String> singles = new ArrayList<>();
        Map<String, List<String>> batches = new LinkedHashMap<>();
        for (ReferralStore.Due delivery : due) {
            String id = delivery.referralId();
            String partnerId = delivery.partnerId() != null ? delivery.partnerId()
                    : store.find(id).map(Referral::partnerId).orElse(null);
            boolean batched = partnerId != null && configs.current().partner(partnerId)
                    .map(p -> p.intake() != null && p.intake().isBatched()).orElse(false);
            if (batched) {
                batches.computeIfAbsent(partnerId, k -> new ArrayList<>()).add(id);
            } else {
                singles.add(id);
            }
        }
        exchange.setProperty("singles", singles);
        exchange.setProperty("batches", new ArrayList<>(batches.values()));
        exchange.setProperty("dueCount", due.size());
        exchange.setProperty(STARTED, new AtomicInteger());
        Duration budget = exchange.getMessage().getHeader(Endpoints.TIME_BUDGET, Duration.class);
        exchange.setProperty(DEADLINE, budget == null ? null : clock.instant().plus(budget));
    }

    private void claimOne(Exchange exchange) throws InvalidPayloadException {
        String referralId = exchange.getMessage().getMandatoryBody(String.class);
        Referral referral = store.claimDelivery(referralId, clock.instant(), lease()).orElse(null);
        if (referral == null) {
            LOG.debug("referral {} has no delivery due, or another dispatcher holds it", referralId);
            return;
        }
        if (consentLapsed(referral)) {
            return;
        }
        claimed(exchange, List.of(referral));
    }

    @SuppressWarnings("unchecked")
    /**
     * The referrals to send now: none while the partner's deliveries are paused (each waits on hold, its agency told
     * once); once the pause is gone, a referral that waited is requested again and due at once, with a fresh series
     * of attempts (its agency told), and sent by the dispatch its change causes.
     */
    private List<Referral> pauseOrResume(Partner partner, List<Referral> claimed) {
        Instant now = clock.instant();
        List<Referral> send = new ArrayList<>();
        for (Referral referral : claimed) {
            if (partner.isPaused()) {
                store.update(referral.referralId(), r -> PartnerPause.held(r, now), changed ->
                        PartnerPause.isHeld(referral) ? List.of() : reports.notices(changed, now));
            } else if (PartnerPause.isHeld(referral)) {
                store.update(referral.referralId(), r -> PartnerPause.resumed(r, now)
                        .withDelivery(r.delivery().replayed(now)), changed -> reports.notices(changed, now));
            } else {
                send.add(referral);
            }
        }
        long newlyHeld = claimed.stream().filter(r -> partner.isPaused() && !PartnerPause.isHeld(r)).count();
        if (newlyHeld > 0 || !partner.isPaused() && send.size() < claimed.size()) {
            LOG.info("{} referral(s) of partner {} not sent now: its deliveries are {}", claimed.size() - send.size(),
                    partner.id(), partner.isPaused() ? "paused" : "resumed (sent next)");
        }
        return send;
    }

    private void claimBatch(Exchange exchange) throws InvalidPayloadException {
        List<String> ids = exchange.getMessage().getMandatoryBody(List.class);
        List<Referral> claimed = new ArrayList<>();
        for (String id : ids) {
            store.claimDelivery(id, clock.instant(), lease()).filter(r -> !consentLapsed(r)).ifPresent(claimed::add);
        }
        if (!claimed.isEmpty()) {
            claimed(exchange, claimed);
        }
    }

    /**
     * A referral whose consent expired (or was withdrawn) since it was received is not delivered: it is put on hold
     * with reason {@code consent-expired}, its delivery withheld, and the agency told on its channels.
     */
    private boolean consentLapsed(Referral referral) {
        Instant now = clock.instant();
        if (referral.consent() != null && referral.consent().isValidAt(now)) {
            return false;
        }
        store.update(referral.referralId(), r -> r.movedTo(ReferralStatus.ON_HOLD, null, "consent-expired", now,
                "hub:consent").withDelivery(Delivery.withheld()), changed -> reports.notices(changed, now));
        LOG.info("referral {} not delivered to partner {}: the client's consent expired", referral.referralId(),
                referral.partnerId());
        return true;
    }

    private void claimed(Exchange exchange, List<Referral> claimed) {
        Referral first = claimed.get(0);
        Partner partner = configs.current().partner(first.partnerId()).orElseThrow(() ->
                new IllegalStateException("partner " + first.partnerId() + " is no longer configured"));
        List<Referral> referrals = pauseOrResume(partner, claimed);
        if (referrals.isEmpty()) {
            return;
        }
        exchange.setProperty(ClaimedDelivery.PROPERTY, new ClaimedDelivery(partner, referrals, clock.instant()));
        exchange.setProperty(DELIVER_BY, partner.intake().match(webhook -> Endpoints.DELIVER_WEBHOOK,
                sftp -> Endpoints.DELIVER_SFTP, email -> Endpoints.DELIVER_EMAIL, fhir -> Endpoints.DELIVER_FHIR));
    }
}
