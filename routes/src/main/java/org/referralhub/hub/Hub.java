package org.referralhub.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.referralhub.admin.Sandbox;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.Agency;
import org.referralhub.config.DeliveryPolicy;
import org.referralhub.config.FieldMappingSet;
import org.referralhub.config.OutboundAddresses;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One running hub: what {@link HubAssembly} made, and the CamelContext with the routes of the wings asked for, built
 * once per Lambda container (or once in the local hub) and shared by all handlers. Callers reach the routes through
 * {@link #producer()} and the {@code direct:} endpoints in {@link Endpoints}.
 */
public final class Hub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    private final HubAssembly parts;
    private final CamelContext camel;
    private final ProducerTemplate producer;

    private Hub(HubAssembly parts, CamelContext camel) {
        this.parts = parts;
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
    }

    public static Hub start(HubSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    public static Hub start(HubSettings settings, Clock clock) {
        return start(settings, clock, Map.of());
    }

    /**
     * @param placeholders values for the configuration's {@code {{name}}} placeholders, beside {@code hubBaseUrl}
     */
    public static Hub start(HubSettings settings, Clock clock, Map<String, String> placeholders) {
        return start(settings, clock, placeholders, Wing.all());
    }

    /** A hub with the routes of {@code wings} only: what one function's events need. */
    public static Hub start(HubSettings settings, Set<Wing> wings) {
        return start(settings, Clock.systemUTC(), Map.of(), wings);
    }

    public static Hub start(HubSettings settings, Clock clock, Map<String, String> placeholders, Set<Wing> wings) {
        long started = System.nanoTime();
        // this thread mostly waits — on class loading and the table — while building the SDK clients and reading the
        // configuration; another builds what comes after meanwhile: Camel's context (its fixed start), the canonical
        // JSON mapper and the phone-number metadata (every referral's first use). On one core this gains nothing
        // and costs nothing; it is the single largest cut in a cold start where there are two (README, Benchmarks)
        FutureTask<CamelContext> camelReady = new FutureTask<>(() -> {
            CamelContext context = newCamelContext();
            CanonicalJson.write(Map.of());
            Class.forName("org.referralhub.intake.FieldReader", true, Hub.class.getClassLoader());
            return context;
        });
        Thread warming = new Thread(camelReady, "hub-start-camel");
        warming.setDaemon(true);
        warming.start();
        HubAssembly parts = new HubAssembly(settings, clock, placeholders);
        CamelContext camel = ready(camelReady);
        try {
            camel.addComponent("http", httpComponent(parts.config().delivery(), parts.outbound()));
            camel.addComponent("https", camel.getComponent("http"));
            for (RoutesBuilder routes : parts.routes(wings)) {
                camel.addRoutes(routes);
            }
            camel.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the hub's routes", e);
        }
        parts.phase("camel-routes");
        LOG.info("hub started in {} ms ({})", (System.nanoTime() - started) / 1_000_000, parts.phases());
        return new Hub(parts, camel);
    }

    /**
     * The HTTP client partners' and agencies' webhooks are called with: the delivery policy's timeouts, no redirects;
     * where only public addresses may be called, a resolver that refuses any other at the moment of connecting.
     */
    private static HttpComponent httpComponent(DeliveryPolicy policy, OutboundAddresses outbound) {
        HttpComponent http = outbound == OutboundAddresses.PUBLIC ? new PublicOnlyHttpComponent() : new HttpComponent();
        http.setConnectTimeout(policy.connectTimeoutSeconds() * 1000L);
        http.setConnectionRequestTimeout(policy.connectTimeoutSeconds() * 1000L);
        http.setResponseTimeout(policy.responseTimeoutSeconds() * 1000L);
        http.setSoTimeout(policy.responseTimeoutSeconds() * 1000L);
        http.setFollowRedirects(false);
        http.setCookieManagementDisabled(true);
        // the hub schedules and records every retry itself: the client must not retry behind its back
        http.setHttpClientConfigurer(builder -> builder.disableAutomaticRetries());
        return http;
    }

    private static CamelContext ready(FutureTask<CamelContext> camel) {
        try {
            return camel.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the hub's Camel context", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** Camel's context, set as the hub runs it; no routes yet (they need the hub's services). */
    private static CamelContext newCamelContext() {
        CamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("referral-hub");
        // personal data stays out of the logs: no message history or tracing (they print bodies), and Camel's own
        // "exhausted" log (it quotes the exception's message) is off — the hub logs failures itself, by class and id
        camel.setMessageHistory(false);
        camel.setTracing(false);
        // a function starts cold: nothing that serves an operator's console here (health is the hub's own route)
        camel.setLoadHealthChecks(false);
        camel.setDevConsole(false);
        camel.setModeline(false);
        camel.setStartupSummaryLevel(StartupSummaryLevel.Off);
        camel.setLogExhaustedMessageBody(false);
        camel.getCamelContextExtension().setErrorHandlerFactory(new DefaultErrorHandlerDefinition().logExhausted(false)
                .logStackTrace(false).logRetryAttempted(false));
        // built now (its plugins and registry); routes are added and it starts later
        camel.build();
        return camel;
    }

    /** What the hub is made of: its stores, configuration and services. */
    public HubAssembly services() {
        return parts;
    }

    /**
     * Runs what a first request runs, changing nothing: the health route (a table read and the archive), and a sample
     * referral through every agency's mappings (webhook and FHIR), validation, screening and routing in the sandbox. Before a SnapStart
     * snapshot, so the restored function starts with its classes loaded and its clients warm. Answers how many
     * samples ran; a failure of any step is logged by class and passed over — priming never stops a start.
     */
    public int prime() {
        int ran = 0;
        try {
            producer.requestBody(Endpoints.HEALTH, new ApiRequest("GET",
                    "/health", Map.of(), Map.of(), new byte[0], "priming", "127.0.0.1"));
        } catch (RuntimeException e) {
            LOG.warn("priming: health check failed ({})", e.getClass().getSimpleName());
        }
        String sample;
        String bundle;
        try (var in = Hub.class.getClassLoader().getResourceAsStream("samples/cics-canonical.json");
             var fhir = Hub.class.getClassLoader().getResourceAsStream("samples/cics-fhir-bundle.json")) {
            sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            bundle = new String(fhir.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            return ran;
        }
        Sandbox sandbox = new Sandbox(parts.config(), parts.clock());
        for (Agency agency : parts.config().agencies()) {
            for (String mapping : new String[]{FieldMappingSet.CANONICAL, null}) {
                try {
                    sandbox.run(new Sandbox.Request(agency.id(), Channel.WEBHOOK.code(), null, sample, null, null, mapping));
                    ran++;
                } catch (RuntimeException e) {
                    LOG.debug("priming: sample for agency {} not run ({})", agency.id(), e.getClass().getSimpleName());
                }
            }
            try {
                sandbox.run(new Sandbox.Request(agency.id(), Channel.FHIR.code(), null, bundle, null, null, null));
                ran++;
            } catch (RuntimeException e) {
                LOG.debug("priming: FHIR sample for agency {} not run ({})", agency.id(), e.getClass().getSimpleName());
            }
        }
        return ran;
    }

    /** How long each part of this hub's start took, in milliseconds, in order. */
    public Map<String, Long> startupMillis() {
        return parts.phases();
    }

    public ProducerTemplate producer() {
        return producer;
    }

    public CamelContext camel() {
        return camel;
    }

    public DynamoDbClient dynamo() {
        return parts.dynamo;
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            LOG.warn("routes did not stop cleanly: {}", e.getClass().getSimpleName());
        }
        parts.dynamo.close();
        if (parts.s3 != null) {
            parts.s3.close();
        }
        parts.http.close();
    }
}
