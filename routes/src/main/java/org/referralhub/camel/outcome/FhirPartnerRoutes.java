package org.referralhub.camel.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Partner;
import org.referralhub.delivery.PartnerReferral;
import org.referralhub.fhir.FhirRefusal;
import org.referralhub.fhir.FhirResources;
import org.referralhub.fhir.TaskSearch;
import org.referralhub.fhir.TaskUpdate;
import org.referralhub.outcome.Outcomes;
import org.referralhub.outcome.StatusReports;
import org.referralhub.outcome.StatusUpdate;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;

/**
 * The FHIR R4 door for partners that read rather than receive: their referrals as Tasks ({@code GET Task?owner=…
 * &_lastUpdated=gt…}, {@code GET Task/{id}}), each Task's ServiceRequest ({@code GET ServiceRequest/{id}}), the
 * CapabilityStatement; and a Task moved by its partner ({@code PUT}, or {@code PATCH} with JSON Patch). A partner signs in with its API key (X-Api-Key, or {@code Authorization: Bearer}); another
 * partner's Task is not found. Refusals are OperationOutcomes ({@link ApiErrorHandling} answers FHIR paths in FHIR).
 */
public final class FhirPartnerRoutes extends RouteBuilder {

    /** Where the door is, under the hub's base URL. */
    public static final String BASE = "/fhir/r4";

    private final PartnerDoor door;
    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final StatusReports reports;
    private final String publicBaseUrl;
    private final Clock clock;

    public FhirPartnerRoutes(PartnerDoor door, ConfigurationSource configs, ReferralStore store, StatusReports reports,
                             String publicBaseUrl, Clock clock) {
        this.door = door;
        this.configs = configs;
        this.store = store;
        this.reports = reports;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(Endpoints.FHIR_METADATA).routeId("fhir-metadata").routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> {
                    e.setProperty(ApiRequest.PROPERTY, e.getMessage().getMandatoryBody(ApiRequest.class));
                    e.getMessage().setBody(fhir(200, FhirResources.capabilityStatement(base(), clock.instant())));
                });
        from(Endpoints.FHIR_UNSUPPORTED).routeId("fhir-unsupported").routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> {
                    ApiRequest request = e.getMessage().getMandatoryBody(ApiRequest.class);
                    e.setProperty(ApiRequest.PROPERTY, request);
                    boolean known = request.path().matches(BASE + "/(Task|ServiceRequest)(/[^/]+)?");
                    String does = "The FHIR door reads Tasks (search and read), moves a Task (PUT, PATCH) and reads "
                            + "ServiceRequests; ";
                    throw new ApiProblem(known ? 405 : 404, "not-supported", known ? "Not supported here" : "No such resource",
                            does + request.method() + " " + request.path() + " is not one of them.");
                });
        from(Endpoints.FHIR_TASK_UPDATE).routeId("fhir-task-update").routeConfigurationId(ApiErrorHandling.ID)
                .process(ApiRequest::bearerAsKey)
                .process(door::signIn)
                .process(this::update);
        from(Endpoints.FHIR_PARTNER_READ).routeId("fhir-partner-read").routeConfigurationId(ApiErrorHandling.ID)
                .process(ApiRequest::bearerAsKey)
                .process(door::signIn)
                .process(this::read);
    }

    private void read(Exchange exchange) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        Partner partner = PartnerDoor.partner(exchange);
        HubConfiguration config = configs.current();
        String id = request.pathParameters().get("id");
        if (id == null) {
            exchange.getMessage().setBody(fhir(200, search(request, partner, config)));
            return;
        }
        Referral referral = store.find(id).filter(r -> visible(r, partner))
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No such resource",
                        "No " + type(request) + " " + id + " among this partner's referrals."));
        exchange.getMessage().setBody(fhir(200, type(request).equals("Task") ? task(referral, partner, config)
                : serviceRequest(referral, partner, config)));
    }

    /**
     * A Task moved by its partner (PUT of the Task, or a JSON Patch): the same report, lifecycle and refusals as
     * {@code POST /v1/partner/referrals/{id}/status}, the agency told the same way; answers the Task as it is now.
     */
    private void update(Exchange exchange) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        Partner partner = PartnerDoor.partner(exchange);
        String id = request.pathParameters().get("id");
        Referral current = store.find(id).filter(r -> visible(r, partner)).orElseThrow(() -> new ApiProblem(404,
                "not-found", "No such resource", "No Task " + id + " among this partner's referrals."));
        JsonNode body;
        try {
            body = CanonicalJson.MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw new ApiProblem(400, "malformed", "Not JSON", "Send the Task (PUT) or a JSON Patch (PATCH) as JSON.");
        }
        StatusUpdate update;
        try {
            update = request.method().equals("PATCH") ? TaskUpdate.fromPatch(body, current) : TaskUpdate.fromPut(body, current);
        } catch (FhirRefusal refused) {
            throw new ApiProblem(refused.status(), refused.status() == 400 ? "malformed" : "not-movable",
                    refused.status() == 400 ? "Not this Task" : "The change cannot be made", refused.getMessage());
        }
        Referral now = current;
        if (update != null) {
            try {
                now = reports.report(partner, update);
            } catch (Outcomes.RefusedUpdate refused) {
                throw PartnerStatusRoutes.problem(refused);
            }
        }
        exchange.getMessage().setBody(fhir(200, task(now, partner, configs.current())));
    }

    private ObjectNode search(ApiRequest request, Partner partner, HubConfiguration config) {
        TaskSearch search;
        try {
            search = TaskSearch.parse(request.query(), partner.id());
        } catch (FhirRefusal refused) {
            throw new ApiProblem(refused.status(), refused.status() == 403 ? "forbidden" : "bad-search",
                    refused.status() == 403 ? "Another partner's Tasks" : "The search is not understood",
                    refused.getMessage());
        }
        List<Referral> found = new ArrayList<>(store.ofPartner(partner.id()).stream()
                .filter(r -> visible(r, partner)).filter(search::matches)
                .sorted(Comparator.comparing(FhirResources::lastUpdated)).limit(search.count()).toList());
        List<ObjectNode> tasks = new ArrayList<>();
        List<ObjectNode> requests = new ArrayList<>();
        for (Referral referral : found) {
            tasks.add(task(referral, partner, config));
            if (search.includeFocus()) {
                requests.add(serviceRequest(referral, partner, config));
            }
        }
        return FhirResources.searchset(base(), tasks, requests, clock.instant());
    }

    /**
     * Whether the partner may read the referral now: routed to it, and its client's data still shareable (a delivery
     * withheld because consent lapsed is not read around).
     */
    private boolean visible(Referral referral, Partner partner) {
        return partner.id().equals(referral.partnerId()) && referral.delivery() != null
                && referral.delivery().state() != Delivery.State.WITHHELD
                && referral.consent() != null && referral.consent().isValidAt(clock.instant());
    }

    private ObjectNode task(Referral referral, Partner partner, HubConfiguration config) {
        return FhirResources.task(referral, view(referral, partner, config), agencyName(referral, config), partner.name());
    }

    private ObjectNode serviceRequest(Referral referral, Partner partner, HubConfiguration config) {
        return FhirResources.serviceRequest(referral, view(referral, partner, config), agencyName(referral, config),
                partner.name(), config.program(referral.program()).map(p -> p.name()).orElse(null));
    }

    /** What the partner may see of the client: the consent scope, narrowed by the partner's own field selection. */
    private static PartnerReferral view(Referral referral, Partner partner, HubConfiguration config) {
        return PartnerReferral.of(referral, agencyName(referral, config)).selecting(partner.fields());
    }

    private static String agencyName(Referral referral, HubConfiguration config) {
        return config.agency(referral.agencyId()).map(a -> a.name()).orElse(null);
    }

    private static String type(ApiRequest request) {
        return request.path().contains("/ServiceRequest/") ? "ServiceRequest" : "Task";
    }

    private String base() {
        return publicBaseUrl + BASE;
    }

    private static ApiReply fhir(int status, ObjectNode resource) {
        return new ApiReply(status, Map.of("Content-Type", FhirResources.FHIR_JSON), CanonicalJson.write(resource));
    }
}
