package org.referralhub.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.referralhub.admin.AdminRefusal;
import org.referralhub.archive.ArchiveUnavailableException;
import org.referralhub.fhir.FhirResources;
import org.referralhub.intake.InvalidReferralException;
import org.referralhub.referral.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place API errors become answers: problems as they are, administrators' changes refused with their status
 * and reasons, invalid referrals as 400 with field errors,
 * an unavailable store or archive as 503 with Retry-After, anything else as a 500 that says nothing of the input.
 */
public final class ApiErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "api";
    /** Where the FHIR door's answers start: its refusals are OperationOutcomes. */
    private static final String FHIR_PATHS = "/fhir/";
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandling.class);

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(ApiProblem.class).handled(true)
                    .process(e -> {
                        ApiProblem problem = e.getProperty(Exchange.EXCEPTION_CAUGHT, ApiProblem.class);
                        reply(e, problem.body());
                        if (problem.retryAfterSeconds() > 0) {
                            ApiReply r = e.getMessage().getBody(ApiReply.class);
                            e.getMessage().setBody(r.withHeader("Retry-After", Integer.toString(problem.retryAfterSeconds())));
                        }
                    })
                .end()
                .onException(AdminRefusal.class).handled(true)
                    .process(e -> {
                        AdminRefusal refusal = e.getProperty(Exchange.EXCEPTION_CAUGHT, AdminRefusal.class);
                        LOG.info("{} refused: {}", e.getFromRouteId(), refusal.type());
                        reply(e, new ApiProblem.Body("/problems/" + refusal.type(), refusal.title(), refusal.status(),
                                refusal.getMessage(), null, null, null, refusal.problems().isEmpty() ? null : refusal.problems()));
                    })
                .end()
                .onException(InvalidReferralException.class).handled(true)
                    .process(e -> {
                        InvalidReferralException invalid = e.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidReferralException.class);
                        reply(e, new ApiProblem.Body("/problems/invalid-referral", "The referral is not valid", 400,
                                invalid.getMessage(), null, null, invalid.errors()));
                    })
                .end()
                .onException(SdkException.class, ArchiveUnavailableException.class).handled(true)
                    .process(e -> {
                        LOG.warn("store unavailable for {} (receipt {}): {}", e.getFromRouteId(),
                                e.getProperty(ApiRequest.RECEIPT_ID), e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getClass().getSimpleName());
                        reply(e, new ApiProblem.Body("/problems/unavailable", "The hub cannot store referrals right now",
                                503, "Nothing was stored. Send the same request again later; an Idempotency-Key makes that safe.",
                                null, null, null));
                        ApiReply r = e.getMessage().getBody(ApiReply.class);
                        e.getMessage().setBody(r.withHeader("Retry-After", "5"));
                    })
                .end()
                .onException(Exception.class).handled(true)
                    .process(e -> {
                        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        LOG.error("unexpected failure in {} (receipt {}): {}", e.getFromRouteId(),
                                e.getProperty(ApiRequest.RECEIPT_ID), cause.getClass().getName());
                        reply(e, new ApiProblem.Body("/problems/internal", "Internal error", 500,
                                "The hub could not process the request. The payload, if any, is archived.", null,
                                null, null));
                    })
                .end();
    }

    /** A problem document — or, on the FHIR door, the same as an OperationOutcome, as FHIR clients expect. */
    private static void reply(Exchange exchange, ApiProblem.Body body) {
        ApiRequest request = exchange.getProperty(ApiRequest.PROPERTY, ApiRequest.class);
        ApiProblem.Body complete = body.completedWith(request == null ? null : request.path(),
                exchange.getProperty(ApiRequest.RECEIPT_ID, String.class));
        if (request != null && request.path().startsWith(FHIR_PATHS)) {
            List<String> details = new ArrayList<>();
            if (complete.errors() != null) {
                complete.errors().forEach(error -> details.add(error.field() + (error.source() == null ? ""
                        : " (read from " + error.source() + ")") + ": " + error.message()));
            }
            if (complete.problems() != null) {
                details.addAll(complete.problems());
            }
            exchange.getMessage().setBody(new ApiReply(body.status(), Map.of("Content-Type", FhirResources.FHIR_JSON),
                    CanonicalJson.write(FhirResources.operationOutcome(body.status(), complete.title(),
                            complete.receiptId() == null ? complete.detail()
                                    : complete.detail() + " (receipt " + complete.receiptId() + ")",
                            details))));
            return;
        }
        exchange.getMessage().setBody(new ApiReply(body.status(),
                Map.of("Content-Type", "application/problem+json"), CanonicalJson.write(complete)));
    }
}
