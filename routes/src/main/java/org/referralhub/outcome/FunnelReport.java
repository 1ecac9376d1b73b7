package org.referralhub.outcome;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.referralhub.files.CsvText;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.NearMatch;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.referral.Screening;
import org.referralhub.referral.StatusChange;

/**
 * The program's funnel over a period: of the referrals received, how many were eligible, delivered, accepted by the
 * partner, registered and matched, how many were rejected and why, the conversion rates, and the median days from
 * referral to the partner's first contact and to registration — in total and per program, agency and partner.
 * Plain arithmetic over referrals; the store finds them by its indexes.
 */
public final class FunnelReport {

    /** Milestones that mean the client registered (or went further). */
    static final Set<String> REGISTERED = Set.of("registered", "accepted", "matched", "mentoring-completed");
    /** Milestones that mean the client was matched with a mentor (or went further). */
    static final Set<String> MATCHED = Set.of("matched", "mentoring-completed");
    private static final Set<ReferralStatus> TAKEN_ON = Set.of(ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS,
            ReferralStatus.COMPLETED);

    /** One line of the report: a group (all, or one program, agency or partner) and its figures. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String group, String id, long received, long eligible, long delivered, long accepted,
                      long registered, long matched, long rejected, Map<String, Long> rejectedReasons,
                      Map<String, Double> rates, Double medianDaysToFirstContact, Double medianDaysToRegistration) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(Instant from, Instant to, Map<String, String> filters, Row total, List<Row> byProgram,
                         List<Row> byAgency, List<Row> byPartner) {
    }

    private FunnelReport() {
    }

    /**
     * The report of {@code received}: each client once — a near match its agency said was the client of an earlier
     * referral is that referral's repeat, not a referral of its own. A near match still waiting for its agency counts
     * as received (and eligible, if it is), never as rejected.
     */
    public static Report of(Instant from, Instant to, Map<String, String> filters, Collection<Referral> received) {
        List<Referral> referrals = received.stream().filter(r -> !(r.status() == ReferralStatus.CANCELLED
                && NearMatch.SAME_CLIENT.equals(r.statusReason()))).toList();
        return new Report(from, to, filters, row("all", "all", referrals),
                rows("program", referrals, Referral::program),
                rows("agency", referrals, Referral::agencyId),
                rows("partner", referrals.stream().filter(r -> r.partnerId() != null).toList(), Referral::partnerId));
    }

    private static List<Row> rows(String group, Collection<Referral> referrals, Function<Referral, String> key) {
        Map<String, List<Referral>> by = new TreeMap<>();
        referrals.forEach(r -> by.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
        List<Row> out = new ArrayList<>();
        by.forEach((id, list) -> out.add(row(group, id, list)));
        return out;
    }

    static Row row(String group, String id, Collection<Referral> referrals) {
        long received = referrals.size();
        long eligible = referrals.stream().filter(r -> r.screening() != null && r.screening().eligible()).count();
        long delivered = referrals.stream().filter(FunnelReport::delivered).count();
        long accepted = referrals.stream().filter(r -> r.statusHistory().stream()
                .anyMatch(h -> TAKEN_ON.contains(h.status()) && isPartner(h))).count();
        long registered = referrals.stream().filter(r -> reached(r, REGISTERED)).count();
        long matched = referrals.stream().filter(r -> reached(r, MATCHED)).count();
        List<Referral> rejectedOnes = referrals.stream().filter(r -> r.status() == ReferralStatus.REJECTED).toList();
        Map<String, Long> reasons = new TreeMap<>();
        for (Referral r : rejectedOnes) {
            for (String reason : rejectionReasons(r)) {
                reasons.merge(reason, 1L, Long::sum);
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("eligible", rate(eligible, received));
        rates.put("deliveredOfEligible", rate(delivered, eligible));
        rates.put("acceptedOfDelivered", rate(accepted, delivered));
        rates.put("registeredOfAccepted", rate(registered, accepted));
        rates.put("matchedOfRegistered", rate(matched, registered));
        rates.put("registeredOfReceived", rate(registered, received));
        rates.put("matchedOfReceived", rate(matched, received));
        return new Row(group, id, received, eligible, delivered, accepted, registered, matched, rejectedOnes.size(),
                reasons, rates,
                median(referrals.stream().map(r -> daysTo(r, h -> isPartner(h))).filter(Objects::nonNull).toList()),
                median(referrals.stream().map(r -> daysTo(r, h -> h.businessStatus() != null
                        && REGISTERED.contains(h.businessStatus()))).filter(Objects::nonNull).toList()));
    }

    private static boolean delivered(Referral r) {
        return r.delivery() != null && (r.delivery().state() == Delivery.State.DELIVERED
                || r.delivery().attempts().stream().anyMatch(a -> a.outcome() == DeliveryAttempt.Outcome.DELIVERED));
    }

    private static boolean isPartner(StatusChange h) {
        return h.by() != null && h.by().startsWith("partner:");
    }

    private static boolean reached(Referral r, Set<String> milestones) {
        return r.statusHistory().stream().anyMatch(h -> h.businessStatus() != null && milestones.contains(h.businessStatus()));
    }

    /** Why a referral was rejected: the screening's reason codes, or the partner's reason (or milestone). */
    static List<String> rejectionReasons(Referral r) {
        StatusChange last = r.statusHistory().isEmpty() ? null : r.statusHistory().get(r.statusHistory().size() - 1);
        if (last != null && isPartner(last)) {
            String why = last.reason() != null ? last.reason() : last.businessStatus() != null ? last.businessStatus() : "unspecified";
            return List.of("partner: " + why);
        }
        Screening screening = r.screening();
        if (screening != null && !screening.reasons().isEmpty()) {
            return screening.reasons().stream().map(Screening.Reason::code).toList();
        }
        return List.of(r.statusReason() == null ? "unspecified" : r.statusReason());
    }

    /** Days from the referral to the first step the predicate picks, or null when there is none. */
    private static Double daysTo(Referral r, Predicate<StatusChange> step) {
        return r.statusHistory().stream().filter(step).findFirst()
                .map(h -> Math.max(0, Duration.between(r.source().receivedAt(), h.at()).toMinutes()) / 1440.0).orElse(null);
    }

    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return Math.round(m * 10) / 10.0;
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : Math.round(1000.0 * part / whole) / 1000.0;
    }

    /** The report as CSV: one line per group, totals first; reasons as {@code code: n; code: n}. */
    public static String csv(Report report) {
        StringBuilder out = new StringBuilder("group,id,received,eligible,delivered,accepted,registered,matched,rejected,"
                + "rejectedReasons,eligibleRate,acceptedOfDelivered,registeredOfReceived,matchedOfReceived,"
                + "medianDaysToFirstContact,medianDaysToRegistration\r\n");
        List<Row> all = new ArrayList<>();
        all.add(report.total());
        all.addAll(report.byProgram());
        all.addAll(report.byAgency());
        all.addAll(report.byPartner());
        for (Row r : all) {
            String reasons = String.join("; ", r.rejectedReasons().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).toList());
            out.append(String.join(",", List.of(r.group(), CsvText.cell(r.id()),
                    Long.toString(r.received()), Long.toString(r.eligible()), Long.toString(r.delivered()),
                    Long.toString(r.accepted()), Long.toString(r.registered()), Long.toString(r.matched()),
                    Long.toString(r.rejected()), CsvText.cell(reasons),
                    text(r.rates().get("eligible")), text(r.rates().get("acceptedOfDelivered")),
                    text(r.rates().get("registeredOfReceived")), text(r.rates().get("matchedOfReceived")),
                    text(r.medianDaysToFirstContact()), text(r.medianDaysToRegistration())))).append("\r\n");
        }
        return out.toString();
    }

    private static String text(Double value) {
        return value == null ? "" : value.toString();
    }
}
