package org.referralhub.referral;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical referral, version {@value #SCHEMA_VERSION}: the one shape every channel is mapped onto and
 * every partner is served from. Its JSON form is described by {@code schema/referral-v1.schema.json}.
 * Immutable: every change returns a new referral.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "referralId", "program", "source", "client", "consent", "screening",
        "routing", "status", "statusReason", "businessStatus", "statusHistory", "outputs", "delivery"})
public record Referral(
        String schemaVersion,
        String referralId,
        String program,
        ReferralSource source,
        Client client,
        Consent consent,
        Screening screening,
        RoutingDecision routing,
        ReferralStatus status,
        String statusReason,
        String businessStatus,
        List<StatusChange> statusHistory,
        Delivery delivery,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Output> outputs) {

    public static final String SCHEMA_VERSION = "1.1";

    public Referral {
        statusHistory = statusHistory == null ? List.of() : List.copyOf(statusHistory);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** The same referral in a new status, with the step recorded in its history. */
    public Referral movedTo(ReferralStatus newStatus, String businessStatus, String reason, Instant at, String by) {
        List<StatusChange> history = new ArrayList<>(statusHistory);
        history.add(new StatusChange(newStatus, businessStatus, reason, at, by));
        return new Referral(schemaVersion, referralId, program, source, client, consent, screening, routing,
                newStatus, reason, businessStatus, history, delivery, outputs);
    }

    public Referral withDelivery(Delivery newDelivery) {
        return new Referral(schemaVersion, referralId, program, source, client, consent, screening, routing,
                status, statusReason, businessStatus, statusHistory, newDelivery, outputs);
    }

    /** The same referral with {@code more} outputs its partner reported, after the ones it has. */
    public Referral withOutputs(List<Output> more) {
        List<Output> all = new ArrayList<>(outputs);
        all.addAll(more);
        return new Referral(schemaVersion, referralId, program, source, client, consent, screening, routing,
                status, statusReason, businessStatus, statusHistory, delivery, all);
    }

    public String agencyId() {
        return source == null ? null : source.agencyId();
    }

    public String partnerId() {
        return routing == null ? null : routing.partnerId();
    }
}
