package org.referralhub.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.DateOrder;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Program;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Client;
import org.referralhub.referral.Consent;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.NearMatch;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralSource;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.RoutingDecision;
import org.referralhub.referral.Screening;
import org.referralhub.referral.StatusChange;
import org.referralhub.routing.PartnerLoad;
import org.referralhub.routing.PartnerTally;
import org.referralhub.routing.ReferralRouter;
import org.referralhub.screening.EligibilityScreen;

/**
 * Turns one agency payload into a canonical referral, ready to store: map, normalize, validate, pre-screen and
 * route. Plain Java and free of side effects, so every channel, and a sandbox, can run it.
 */
public final class ReferralIntake {

    private final ConfigurationSource configs;
    private final PartnerLoad load;
    private final ReferralValidator validator = new ReferralValidator();
    private final EligibilityScreen screen = new EligibilityScreen();
    private final ReferralRouter router = new ReferralRouter();
    private volatile Mappings mappings;

    /** The mappings of one configuration, built once for it. */
    private record Mappings(HubConfiguration config, ReferralMapper mapper) {
    }

    /**
     * @param configs the configuration, read on every referral (its source caches it)
     * @param load    partners' load, for capacity, quotas and the routing strategies
     */
    public ReferralIntake(ConfigurationSource configs, PartnerLoad load) {
        this.configs = configs;
        this.load = load;
    }

    /** An intake on a configuration that does not change, counting load in memory. */
    public ReferralIntake(HubConfiguration config) {
        this(ConfigurationSource.of(config), new PartnerTally());
    }

    /** The configuration this intake works with now. */
    public HubConfiguration config() {
        return configs.current();
    }

    private ReferralMapper mapper() {
        HubConfiguration config = configs.current();
        Mappings built = mappings;
        if (built == null || built.config() != config) {
            built = new Mappings(config, new ReferralMapper(config.mappings()));
            mappings = built;
        }
        return built.mapper();
    }

    /** The hold of a referral that waits for its agency's mapping to read what it sent. */
    public static final String NOT_UNDERSTOOD = "not-understood";

    /** The screening's reasons that say a field was missing, and the field each names. */
    private static final Map<String, CanonicalField> MISSING = Map.of(
            "consent-missing", CanonicalField.CONSENT_GIVEN,
            "arrival-date-missing", CanonicalField.ARRIVAL_DATE,
            "experience-missing", CanonicalField.YEARS_OF_EXPERIENCE,
            "english-level-missing", CanonicalField.ENGLISH_LEVEL);

    /**
     * Whether a referral is held for the mapping: not eligible only because fields are missing, not judged unsuitable,
     * while the input carried a column, label or field its mapping read nothing from that probably is one of the
     * missing fields ("Niveau CLB" for the English level). Names with no such likeness are said, and the referral is
     * screened as it came.
     */
    static boolean heldForMapping(Screening screening, ReferralDraft draft) {
        if (draft.notRead().isEmpty() || screening.eligible() || Boolean.FALSE.equals(screening.suitable())
                || !screening.reasons().stream().allMatch(r -> MISSING.containsKey(r.code()))) {
            return false;
        }
        Set<String> missing = screening.reasons().stream().map(r -> MISSING.get(r.code()).path()).collect(Collectors.toSet());
        return draft.notRead().stream().anyMatch(n -> n.probably() != null && missing.contains(n.probably()));
    }

    /**
     * Whether a stored referral may be read again from its input (its agency's mapping fixed since): held for the
     * mapping, or rejected by the screening, and never sent to a partner.
     */
    public static boolean rereadable(Referral stored) {
        boolean held = stored.status() == ReferralStatus.ON_HOLD && NOT_UNDERSTOOD.equals(stored.statusReason());
        boolean screenedOut = stored.status() == ReferralStatus.REJECTED && "not-eligible".equals(stored.statusReason());
        return (held || screenedOut) && (stored.delivery() == null || stored.delivery().state() == Delivery.State.WITHHELD);
    }

    /**
     * The stored referral as its input reads now ({@code fresh}: the same input assembled again, under the same id),
     * when it may be read again and reads differently: the client, consent, screening and route of today's reading,
     * its history kept with one step more ({@code by: hub:mapping}). Otherwise the stored referral, unchanged.
     */
    public static Referral reread(Referral stored, Referral fresh, Instant now) {
        if (!rereadable(stored) || !stored.referralId().equals(fresh.referralId())
                || fresh.status() == stored.status() && fresh.screening().equals(stored.screening())) {
            return stored;
        }
        List<StatusChange> history = new ArrayList<>(stored.statusHistory());
        history.add(new StatusChange(fresh.status(), fresh.businessStatus(), fresh.statusReason() == null ? "read-again"
                : fresh.statusReason(), now, "hub:mapping"));
        return new Referral(fresh.schemaVersion(), stored.referralId(), fresh.program(), stored.source(), fresh.client(),
                fresh.consent(), fresh.screening(), fresh.routing(), fresh.status(), fresh.statusReason(),
                fresh.businessStatus(), history, fresh.delivery(), stored.outputs());
    }

    /** Where the payload came from, as the channel knows it. */
    public record Receipt(String referralId, Agency agency, Channel channel, String mappingId, Instant receivedAt,
                          String rawPayloadRef) {
    }

    /**
     * @throws InvalidReferralException with every field error when the payload cannot become a referral
     */
    public Referral assemble(Receipt receipt, JsonNode payload) {
        return assemble(receipt, mapper().map(receipt.mappingId(), payload, receipt.agency().dateOrder()));
    }

    /** Every source path of mapping {@code mappingId} (a channel that says what below the top level was not read). */
    public List<String> sources(String mappingId) {
        return mapper().sources(mappingId);
    }

    /** A payload read through a mapping, without validating or assembling it. */
    public ReferralDraft draft(String mappingId, JsonNode payload) {
        return mapper().map(mappingId, payload);
    }

    /** As {@link #draft(String, JsonNode)}, dates without a declared format read in the sender's {@code order}. */
    public ReferralDraft draft(String mappingId, JsonNode payload, DateOrder order) {
        return mapper().map(mappingId, payload, order);
    }

    /** The mapping of one file, bound once to its header row (see {@link ReferralMapper#forHeaders}). */
    public Function<JsonNode, ReferralDraft> mapperFor(String mappingId, List<String> headers) {
        return mapper().forHeaders(mappingId, headers);
    }

    /** As {@link #mapperFor(String, List)}, dates without a declared format read in the sender's {@code order}. */
    public Function<JsonNode, ReferralDraft> mapperFor(String mappingId, List<String> headers, DateOrder order) {
        return mapper().forHeaders(mappingId, headers, order);
    }

    /**
     * @throws InvalidReferralException with every field error when the draft cannot become a referral
     */
    public Referral assemble(Receipt receipt, ReferralDraft draft) {
        HubConfiguration config = configs.current();
        List<FieldError> errors = new ArrayList<>(validator.validate(draft, receipt.receivedAt()));
        String programId = draft.program() != null ? draft.program() : receipt.agency().program();
        Optional<Program> program = config.program(programId);
        if (program.isEmpty()) {
            errors.add(new FieldError(CanonicalField.PROGRAM.path(), draft.source(CanonicalField.PROGRAM),
                    "unknown-program", "names a program the hub does not run"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidReferralException(errors.size() == 1 ? "1 field needs attention"
                    : errors.size() + " fields need attention", errors);
        }
        Client client = draft.client();
        Consent consent = draft.consent();
        Instant now = receipt.receivedAt();
        Screening screening = screen.screen(program.get().eligibility(), client, consent, draft.suitable(), now);
        // ineligible only for want of fields, while the input carried names the mapping did not read: the mapping is
        // the likelier fault than the client, so the referral waits for it rather than being rejected
        boolean held = heldForMapping(screening, draft);
        if (held) {
            List<Screening.Reason> reasons = new ArrayList<>(screening.reasons());
            reasons.add(new Screening.Reason(NOT_UNDERSTOOD, "not understood: " + String.join(", ",
                    draft.notRead().stream().map(NotRead::toString).toList())));
            screening = new Screening(screening.eligible(), screening.suitable(), reasons);
        }
        ReferralSource source = new ReferralSource(receipt.agency().id(), receipt.channel(), draft.agencyReference(),
                now, receipt.rawPayloadRef());
        Referral referral = new Referral(Referral.SCHEMA_VERSION, receipt.referralId(), programId, source, client,
                consent, screening, null, null, null, null, List.of(), null, List.of())
                .movedTo(ReferralStatus.REQUESTED, null, null, now, "agency:" + receipt.agency().id());
        if (held) {
            return referral.movedTo(ReferralStatus.ON_HOLD, null, NOT_UNDERSTOOD, now, "hub:mapping")
                    .withDelivery(Delivery.withheld());
        }
        if (!screening.forwardable()) {
            String reason = screening.eligible() ? "not-suitable" : "not-eligible";
            return referral.movedTo(ReferralStatus.REJECTED, null, reason, now, "hub:screening")
                    .withDelivery(Delivery.withheld());
        }
        return routed(config, referral, now);
    }

    /**
     * A near match its agency said is another client ({@link NearMatch}): the hold's reason taken off, back to
     * requested, routed as any referral is now — and delivered, or on hold when no partner can take it.
     *
     * @throws IllegalStateException when the referral is not held as a near match
     */
    public Referral release(Referral held, String by, Instant now) {
        if (!NearMatch.isHeld(held)) {
            throw new IllegalStateException("referral " + held.referralId() + " is not held as a near match");
        }
        Referral requested = new Referral(held.schemaVersion(), held.referralId(), held.program(), held.source(),
                held.client(), held.consent(), NearMatch.screeningWithoutHold(held), null, held.status(),
                held.statusReason(), held.businessStatus(), held.statusHistory(), null, held.outputs())
                .movedTo(ReferralStatus.REQUESTED, null, "another-client", now, by);
        return routed(configs.current(), requested, now);
    }

    /** A referral to be forwarded, given the partner the routing rules choose now (or on hold when none can). */
    private Referral routed(HubConfiguration config, Referral referral, Instant now) {
        ReferralRouter.Route route = router.route(config.routing(), config::partner, referral.referralId(),
                referral.agencyId(), referral.client(), now, load);
        if (!route.found()) {
            String reason = route.passedOver().isEmpty() ? "no-partner" : "no-partner-with-capacity";
            return referral.movedTo(ReferralStatus.ON_HOLD, null, reason, now, "hub:routing")
                    .withDelivery(Delivery.withheld());
        }
        RoutingDecision decision = new RoutingDecision(route.partnerId(), route.ruleId(), now, route.passedOver());
        Referral routed = new Referral(referral.schemaVersion(), referral.referralId(), referral.program(),
                referral.source(), referral.client(), referral.consent(), referral.screening(), decision,
                referral.status(), referral.statusReason(), referral.businessStatus(), referral.statusHistory(), null,
                referral.outputs());
        return routed.withDelivery(Delivery.pending(deliveryId(referral.referralId(), decision.partnerId()),
                firstAttempt(config, decision.partnerId(), now)));
    }

    /** Now, or for a partner that takes batches, the end of the current batch window. */
    private static Instant firstAttempt(HubConfiguration config, String partnerId, Instant now) {
        return config.partner(partnerId).map(p -> p.intake())
                .filter(intake -> intake != null && intake.isBatched())
                .map(intake -> {
                    long window = intake.batchWindowSeconds();
                    return Instant.ofEpochSecond((now.getEpochSecond() / window + 1) * window);
                })
                .orElse(now);
    }

    /** The idempotency id a partner sees on every attempt of one delivery. */
    public static String deliveryId(String referralId, String partnerId) {
        return "dlv_" + referralId + "_" + partnerId;
    }
}
