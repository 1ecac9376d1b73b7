package org.referralhub.camel.intake;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.ApiErrorHandling;
import org.referralhub.camel.ApiProblem;
import org.referralhub.camel.ApiReply;
import org.referralhub.camel.ApiRequest;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.Agency;
import org.referralhub.fhir.BundleReader;
import org.referralhub.fhir.FhirResources;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.NotRead;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Channel;
import org.referralhub.referral.ReferralIds;
import org.referralhub.store.ReferralStore;

/**
 * The FHIR door for agencies: a transaction Bundle POSTed to the FHIR base becomes a referral. Through the agency door
 * (its API key, also as a bearer token; the size; the raw archive first), read by the {@link BundleReader} through the
 * agency's FHIR mapping into the same intake, screening, routing and de-duplication as every channel; answered with a
 * transaction-response Bundle, or an OperationOutcome naming each problem ({@link ApiErrorHandling}).
 */
public final class FhirIntakeRoutes extends RouteBuilder {

    private static final String READ = "fhirBundle";

    private final AgencyDoor door;
    private final BundleReader reader;
    private final ReferralIntake intake;
    private final Clock clock;

    public FhirIntakeRoutes(AgencyDoor door, BundleReader reader, ReferralIntake intake, Clock clock) {
        this.door = door;
        this.reader = reader;
        this.intake = intake;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(Endpoints.FHIR_REFERRAL_INTAKE).routeId("fhir-referral-intake").routeConfigurationId(ApiErrorHandling.ID)
                .process(ApiRequest::bearerAsKey)
                .process(door::signIn)
                .process(door::admitFhir)
                .process(FhirIntakeRoutes::checkContentType)
                .process(this::assemble)
                .to(Endpoints.STORE_REFERRAL)
                .process(this::replyTransaction);
    }

    private static void checkContentType(Exchange exchange) {
        String type = AgencyDoor.request(exchange).header("content-type");
        String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals(FhirResources.FHIR_JSON) && !media.equals("application/json")) {
            throw new ApiProblem(415, "unsupported-media-type", "Unsupported content type",
                    "Send the Bundle as FHIR JSON with Content-Type: application/fhir+json.");
        }
    }

    /** The Bundle read through the agency's FHIR mapping and assembled into a referral; its problems refused (422). */
    private void assemble(Exchange exchange) {
        AgencyDoor.Arrival arrival = AgencyDoor.arrival(exchange);
        Agency agency = AgencyDoor.caller(exchange).agency();
        BundleReader.Read read;
        try {
            read = reader.readBundle(agency, AgencyDoor.request(exchange).body());
        } catch (ChannelReader.Unreadable unreadable) {
            throw new ApiProblem(400, "malformed", "Not a referral Bundle", unreadable.getMessage());
        }
        if (read.draft() == null) {
            throw new ApiProblem(new ApiProblem.Body("/problems/unprocessable-bundle", "The Bundle is not one referral",
                    422, "Nothing was stored: each issue below names what to change.", null, null, null,
                    read.bundle().problems()));
        }
        exchange.setProperty(READ, read);
        ReferralIntake.Receipt receipt = new ReferralIntake.Receipt(ReferralIds.newId(arrival.receivedAt()), agency, Channel.FHIR,
                agency.fhirMapping(), arrival.receivedAt(), arrival.rawPayloadRef());
        exchange.getMessage().setBody(intake.assemble(receipt, read.draft()));
        AgencyDoor.keyRequest(exchange);
    }

    private void replyTransaction(Exchange exchange) throws InvalidPayloadException {
        ReferralStore.Stored stored = exchange.getMessage().getMandatoryBody(ReferralStore.Stored.class);
        BundleReader.Read read = exchange.getProperty(READ, BundleReader.Read.class);
        List<String> notRead = read.draft().notRead().stream().map(NotRead::toString).toList();
        exchange.getMessage().setBody(new ApiReply(200, Map.of("Content-Type", FhirResources.FHIR_JSON),
                CanonicalJson.write(FhirResources.transactionResponse(read.bundle().entries(), stored.referral(),
                        stored.duplicate(), AgencyDoor.arrival(exchange).receiptId(), notRead, clock.instant()))));
    }
}
