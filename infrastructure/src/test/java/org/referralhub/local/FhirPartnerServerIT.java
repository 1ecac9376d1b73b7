package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralhub.delivery.DirectorySecretStore;

/**
 * A partner whose referrals arrive as Tasks on its own FHIR server: a server no one here wrote (HAPI FHIR's
 * RestfulServer with its in-memory Task provider, in Jetty, behind a bearer token) receives one Task per referral —
 * valid R4 by HAPI's validator, the SDOHCC TaskForReferralManagement shape — through failures and retries; the
 * partner then moves it through the hub's FHIR door.
 */
class FhirPartnerServerIT {

    private static final String TOKEN = "partner-server-token-" + UUID.randomUUID();

    @TempDir
    static Path data;
    private static Server jetty;
    private static String fhirBase;
    private static LocalHub hub;
    private static HubClient http;
    private static final List<Map<String, String>> RECEIVED = new CopyOnWriteArrayList<>();
    private static final AtomicInteger FAIL_NEXT = new AtomicInteger();

    /** The partner server's door: its bearer token, and (for the test) failures on demand; what came, recorded. */
    @Interceptor
    public static final class PartnerDoor {
        @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
        public boolean incoming(HttpServletRequest request) {
            if (request.getMethod().equals("POST")) {
                RECEIVED.add(Map.of("authorization", String.valueOf(request.getHeader("Authorization")),
                        "ifNoneExist", String.valueOf(request.getHeader("If-None-Exist")),
                        "idempotencyKey", String.valueOf(request.getHeader("Idempotency-Key")),
                        "contentType", String.valueOf(request.getHeader("Content-Type"))));
            }
            if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                throw new AuthenticationException("a bearer token is required");
            }
            if (request.getMethod().equals("POST") && FAIL_NEXT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new InternalErrorException("the partner's server is down for a moment");
            }
            return true;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        RestfulServer server = new RestfulServer(FhirR4.FHIR);
        server.registerProviders(new HashMapResourceProvider<>(FhirR4.FHIR, Task.class));
        server.registerInterceptor(new PartnerDoor());
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(server), "/fhir/*");
        jetty.setHandler(context);
        jetty.start();
        fhirBase = "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/fhir";

        // Humber takes its referrals on its FHIR server; the hub's token for it is in the hub's secret store
        new DirectorySecretStore(data.resolve("keys")).put("humber-fhir-token", TOKEN.getBytes(StandardCharsets.UTF_8));
        Path fast = Path.of(HubClient.fastRetryConfiguration(data));
        String config = Files.readString(fast);
        String webhook = """
                    intake:
                      channel: webhook
                      url: "{{hubBaseUrl}}/sandbox/partners/humber/webhook"
                      signingSecret: "{{secret:referral-hub-demo-humber-deliveries}}"
                """;
        assertThat(config).contains(webhook);
        Files.writeString(fast, config.replace(webhook, """
                    intake:
                      channel: fhir
                      baseUrl: "%s"
                      tokenRef: humber-fhir-token
                """.formatted(fhirBase)));
        hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()).withSweepMillis(300).withConfigLocation(fast.toString()));
        http = new HubClient(hub.baseUrl());

    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        jetty.stop();
    }

    @Test
    void aReferralBecomesOneTaskOnThePartnersServerThroughAFailureAndThePartnerMovesIt() throws Exception {
        FAIL_NEXT.set(1);
        String reference = "FHIRSRV-" + UUID.randomUUID();
        String key = LocalHub.demoKeys().get("cics");
        String body = new String(HubClient.sample("cics-canonical.json"), StandardCharsets.UTF_8)
                .replace("m2n6k1", "M9W 1A1").replace("CICS-2026-0001", reference);
        HubClient.Reply accepted = http.postJson(key, body);
        assertThat(accepted.body().get("partnerId").asText()).isEqualTo("humber");
        String id = accepted.body().get("referralId").asText();

        JsonNode referral = http.awaitReferral(id, key, r -> "delivered".equals(r.at("/delivery/state").asText()),
                Duration.ofSeconds(30));
        // the first attempt met a 500 and was tried again; the second made the Task
        assertThat(referral.at("/delivery/attempts/0/outcome").asText()).isEqualTo("failed");
        assertThat(referral.at("/delivery/attempts/0/responseStatus").asInt()).isEqualTo(500);
        JsonNode delivered = referral.at("/delivery/attempts/1");
        assertThat(delivered.path("channel").asText()).isEqualTo("fhir");
        assertThat(delivered.path("responseStatus").asInt()).isEqualTo(201);
        assertThat(delivered.path("detail").asText()).startsWith("created as Task/");

        // each attempt asked for a create conditional on the hub's identifier, under one idempotency key
        List<Map<String, String>> posts = RECEIVED.stream()
                .filter(r -> r.get("ifNoneExist").endsWith("|" + id)).toList();
        assertThat(posts).hasSize(2).allSatisfy(post -> {
            assertThat(post).containsEntry("authorization", "Bearer " + TOKEN)
                    .containsEntry("ifNoneExist", "identifier=urn:referral-hub:referral|" + id)
                    .containsEntry("idempotencyKey", "dlv_" + id + "_humber");
            assertThat(post.get("contentType")).startsWith("application/fhir+json");
        });

        // on the partner's server: one Task for the referral, valid R4, in the guide's shape
        IGenericClient partnerServer = FhirR4.client(fhirBase, TOKEN);
        Bundle all = partnerServer.search().forResource(Task.class).returnBundle(Bundle.class).execute();
        List<Task> mine = all.getEntry().stream().map(e -> (Task) e.getResource())
                .filter(t -> t.getIdentifier().stream().anyMatch(i -> i.getValue().equals(id))).toList();
        assertThat(mine).hasSize(1);
        Task task = mine.get(0);
        FhirR4.valid(task);
        assertThat(task.getIdentifierFirstRep().getSystem()).isEqualTo("urn:referral-hub:referral");
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(task.getCode().getCodingFirstRep().getCode()).isEqualTo("fulfill");
        assertThat(task.getAuthoredOn()).isNotNull();
        assertThat(task.getRequester().getIdentifier().getValue()).isEqualTo("cics");
        assertThat(task.getOwner().getIdentifier().getValue()).isEqualTo("humber");
        Resource focus = contained(task, task.getFocus().getReference());
        assertThat(focus).isInstanceOf(ServiceRequest.class);
        assertThat(((ServiceRequest) focus).getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);
        Resource client = contained(task, task.getFor().getReference());
        assertThat(((Patient) client).getNameFirstRep().getFamily()).isEqualTo("Okafor");

        // the partner moves it where it moves every Task: the hub's FHIR door
        IGenericClient door = FhirR4.client(hub.baseUrl() + "/fhir/r4", LocalHub.demoPartnerKeys().get("humber"));
        door.patch().withBody("[{\"op\": \"replace\", \"path\": \"/status\", \"value\": \"accepted\"}]")
                .withId("Task/" + id).execute();
        assertThat(http.get("/v1/referrals/" + id, key).body().path("status").asText()).isEqualTo("accepted");
    }

    private static Resource contained(Task task, String reference) {
        assertThat(reference).startsWith("#");
        return task.getContained().stream().filter(r -> r.getIdElement().getIdPart().equals(reference.substring(1))
                        || ("#" + r.getIdElement().getIdPart()).equals(reference)).findFirst()
                .orElseThrow(() -> new AssertionError("no contained " + reference));
    }
}
