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
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.delivery.DeliveryClaims;
import org.referralhub.delivery.DeliveryLedger;
import org.referralhub.delivery.DeliveryOutcome;
import org.referralhub.outcome.StatusReports;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox side: the due deliveries among the referrals a dispatch is given are claimed together in one
 * conditional write (a transaction, for more than one), so no two dispatchers send one; handed to the routes of their
 * partners' channels several at once; and what became of them recorded together in one write more. Fed by the table's change feed and by a periodic
 * sweep that picks up retries whose backoff has passed, batches whose window has closed, and anything a feed missed.
 */
public final class DispatchRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchRoutes.class);
    private static final String DELIVER_BY = "deliverBy";
    private static final String ATTEMPTS = "attempts";
    private static final int SWEEP_LIMIT = 500;
    private static final String STARTED = "startedCount";
    private static final String DEADLINE = "sweepDeadline";

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final DeliveryClaims claims;
    private final DeliveryLedger ledger;
    private final Clock clock;

    public DispatchRoutes(ConfigurationSource configs, ReferralStore store, StatusReports reports, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.claims = new DeliveryClaims(configs, store, reports, clock);
        this.ledger = new DeliveryLedger(store, configs.current().delivery(), clock,
                changed -> reports.notices(changed, clock.instant()));
        this.clock = clock;
    }

    @Override
    public void configure() {
        int lanes = configs.current().delivery().concurrentDeliveries();
        // the attempts of one dispatch, as many at once as a dispatcher makes: a partner that hangs holds one lane
        ExecutorService sending = getContext().getExecutorServiceManager().newFixedThreadPool(this, "dispatch-send",
                lanes);
        // the partner's channel names the delivery route: one of four fixed endpoints, never a configured value
        from(Endpoints.DISPATCH).routeId("dispatch").routeConfigurationId(DeliveryErrorHandling.ID)
                .process(this::claim)
                // each attempt's outcome is kept on its claim, a failure made one where it happened
                .split(exchangeProperty(ATTEMPTS))
                        .parallelProcessing().executorService(sending)
                    .filter(this::mayBegin)
                        .process(this::deliverBy)
                        .routingSlip(exchangeProperty(DELIVER_BY)).end()
                    .end()
                .end()
                .process(this::record);

        // due deliveries in lanes, each started only before the deadline: a partner that hangs holds one lane for its
        // timeout, not the sweep — and the stale sweep and notices still run
        ExecutorService sweeping = getContext().getExecutorServiceManager().newFixedThreadPool(this, "dispatch-sweep",
                lanes);
        from(Endpoints.DISPATCH_DUE).routeId("dispatch-due")
                .process(this::sortDue)
                .split(simple("${exchangeProperty.singles}")).parallelProcessing().executorService(sweeping)
                    .filter(this::beforeDeadline)
                        .to(Endpoints.DISPATCH)
                    .end()
                .end()
                .split(simple("${exchangeProperty.batches}")).parallelProcessing().executorService(sweeping)
                    .filter(this::beforeDeadline)
                        .to(Endpoints.DISPATCH)
                    .end()
                .end()
                .process(this::reportStarted);
    }

    /** The body names one referral, or several: their due deliveries are claimed together. */
    private void claim(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        List<String> ids = body instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(exchange.getMessage().getBody(String.class));
        Instant startedAt = clock.instant();
        exchange.setProperty(ATTEMPTS, claims.claim(ids).stream()
                .map(a -> new ClaimedDelivery(a.partner(), a.referrals(), startedAt)).toList());
    }

    /** An attempt begins only while its claim holds for a whole attempt more; else it waits for the sweep. */
    private boolean mayBegin(Exchange exchange) {
        ClaimedDelivery claimed = exchange.getMessage().getBody(ClaimedDelivery.class);
        if (DeliveryClaims.mayBegin(claimed.referrals(), clock.instant(), claims.attempt())) {
            return true;
        }
        LOG.warn("{} referral(s) of partner {} not sent: their claim would run out before an attempt could end; "
                + "sent once it has", claimed.referrals().size(), claimed.partner().id());
        return false;
    }

    private void deliverBy(Exchange exchange) {
        ClaimedDelivery claimed = exchange.getMessage().getBody(ClaimedDelivery.class);
        exchange.setProperty(ClaimedDelivery.PROPERTY, claimed);
        exchange.setProperty(DELIVER_BY, claimed.partner().intake().match(webhook -> Endpoints.DELIVER_WEBHOOK,
                sftp -> Endpoints.DELIVER_SFTP, email -> Endpoints.DELIVER_EMAIL, fhir -> Endpoints.DELIVER_FHIR));
    }

    /** Every attempt's outcome in one write; an attempt the hub's store interrupted has none and waits its lease. */
    @SuppressWarnings("unchecked")
    private void record(Exchange exchange) {
        List<DeliveryOutcome> outcomes = new ArrayList<>();
        exchange.getProperty(ATTEMPTS, List.class).forEach(a -> outcomes.addAll(((ClaimedDelivery) a).outcomes()));
        if (!outcomes.isEmpty()) {
            ledger.record(outcomes);
        }
        exchange.getMessage().setBody(outcomes.size());
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
}
