package org.referralhub.fhir;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;

/**
 * A partner's search for its Tasks ({@code GET [base]/Task?owner=…&status=…&_lastUpdated=gt…}), read from the query
 * and checked: a partner reads only the Tasks it owns, and a parameter the hub does not understand is named and
 * refused, never ignored (FHIR's strict handling), so a poll that would silently match everything cannot happen.
 *
 * @param statuses       the statuses asked for; empty: any
 * @param lastUpdated    each {@code _lastUpdated} bound the Task must meet
 * @param ids            {@code _id}s asked for; empty: any
 * @param includeFocus   {@code _include=Task:focus}: the ServiceRequests too
 * @param count          at most this many matches ({@code _count}, default and limit {@value #MAX_COUNT})
 */
public record TaskSearch(Set<ReferralStatus> statuses, List<Predicate<Instant>> lastUpdated, Set<String> ids,
                         boolean includeFocus, int count) {

    public static final int MAX_COUNT = 200;
    private static final Set<String> KNOWN = Set.of("owner", "status", "_lastUpdated", "_id", "_include", "_count",
            "_format");

    /** The search in {@code query} by the partner {@code partnerId}. */
    public static TaskSearch parse(Map<String, String> query, String partnerId) {
        List<String> unknown = query.keySet().stream().filter(k -> !KNOWN.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new FhirRefusal(400, "the hub does not search Tasks by " + String.join(", ", unknown)
                    + "; it searches by owner, status, _lastUpdated, _id, _include=Task:focus and _count");
        }
        String owner = query.get("owner");
        if (owner != null && !owner.equals("Organization/" + partnerId) && !owner.equals(partnerId)) {
            throw new FhirRefusal(403, "a partner reads its own Tasks only: owner=Organization/" + partnerId);
        }
        Set<ReferralStatus> statuses = new LinkedHashSet<>();
        for (String code : values(query.get("status"))) {
            statuses.add(status(code));
        }
        List<Predicate<Instant>> bounds = new ArrayList<>();
        for (String bound : values(query.get("_lastUpdated"))) {
            bounds.add(bound(bound));
        }
        Set<String> ids = new LinkedHashSet<>(values(query.get("_id")));
        boolean includeFocus = false;
        for (String include : values(query.get("_include"))) {
            if (!include.equals("Task:focus")) {
                throw new FhirRefusal(400, "the hub includes Task:focus only, not " + include);
            }
            includeFocus = true;
        }
        int count = MAX_COUNT;
        if (query.get("_count") != null) {
            try {
                count = Math.min(MAX_COUNT, Integer.parseInt(query.get("_count").trim()));
            } catch (NumberFormatException e) {
                throw new FhirRefusal(400, "_count is a whole number, not " + query.get("_count"));
            }
            if (count < 1) {
                throw new FhirRefusal(400, "_count is at least 1");
            }
        }
        String format = query.get("_format");
        if (format != null && !format.contains("json")) {
            throw new FhirRefusal(400, "the hub answers FHIR in JSON only, not " + format);
        }
        return new TaskSearch(statuses, bounds, ids, includeFocus, count);
    }

    /** Whether a referral's Task matches. */
    public boolean matches(Referral referral) {
        Instant updated = FhirResources.lastUpdated(referral);
        return (statuses.isEmpty() || statuses.contains(referral.status()))
                && (ids.isEmpty() || ids.contains(referral.referralId()))
                && lastUpdated.stream().allMatch(b -> b.test(updated));
    }

    private static ReferralStatus status(String code) {
        for (ReferralStatus status : ReferralStatus.values()) {
            if (status.code().equals(code)) {
                return status;
            }
        }
        throw new FhirRefusal(400, "status " + code + " is not a Task status the hub uses");
    }

    /** {@code gt2026-11-23T10:00:00Z}, {@code ge2026-11-23} (the start of that day, UTC), {@code lt…}, {@code le…}. */
    private static Predicate<Instant> bound(String text) {
        String prefix = text.length() > 2 && Character.isLetter(text.charAt(0)) ? text.substring(0, 2) : "eq";
        String value = prefix.equals("eq") && !text.startsWith("eq") ? text : text.substring(2);
        Instant at;
        try {
            at = value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new FhirRefusal(400, "_lastUpdated is a prefix (gt, ge, lt, le) and an instant or a date, not " + text);
        }
        switch (prefix.toLowerCase(Locale.ROOT)) {
            case "gt":
                return i -> i.isAfter(at);
            case "ge":
                return i -> !i.isBefore(at);
            case "lt":
                return i -> i.isBefore(at);
            case "le":
                return i -> !i.isAfter(at);
            default:
                throw new FhirRefusal(400, "_lastUpdated takes gt, ge, lt or le, not " + prefix);
        }
    }

    private static List<String> values(String joined) {
        if (joined == null || joined.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String value : joined.split(",")) {
            if (!value.isBlank()) {
                out.add(value.trim());
            }
        }
        return out;
    }
}
