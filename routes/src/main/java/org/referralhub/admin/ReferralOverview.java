package org.referralhub.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.referralhub.config.HubConfiguration;
import org.referralhub.config.Partner;
import org.referralhub.config.Program;
import org.referralhub.outcome.StaleReferrals;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;

/**
 * What an administrator asks of the referrals as a whole: the ones that match a search, newest first, and the
 * day's and week's activity by channel with the referrals waiting too long for their partner. Plain Java over
 * referrals already read; no personal data in what it answers beyond the referrals themselves.
 */
public final class ReferralOverview {

    /** The program's day: "today" and "this week" start at midnight in Toronto. */
    static final ZoneId PROGRAM_ZONE = ZoneId.of("America/Toronto");
    public static final int MAX_RESULTS = 200;

    /** A search: every field optional; {@code status} a lifecycle status code. */
    public record Search(String agencyId, String partnerId, String status, Instant from, Instant to, int limit) {
    }

    /** One line of a search's answer: what a list shows, no client details. */
    public record Line(String referralId, String agencyId, String agencyReference, String channel, Instant receivedAt,
                       String partnerId, String status, String businessStatus, String deliveryState) {
        static Line of(Referral r) {
            return new Line(r.referralId(), r.agencyId(), r.source() == null ? null : r.source().agencyReference(),
                    r.source() == null || r.source().channel() == null ? null : r.source().channel().code(),
                    r.source() == null ? null : r.source().receivedAt(), r.partnerId(),
                    r.status() == null ? null : r.status().code(), r.businessStatus(),
                    r.delivery() == null ? null : r.delivery().state().code());
        }
    }

    /** A search's answer: at most {@code limit} lines, and whether more matched. */
    public record Found(List<Line> referrals, int matched, boolean more) {
    }

    /** Activity counts: all, and by channel. */
    public record Counts(int total, Map<String, Integer> byChannel) {
    }

    /**
     * The dashboard: referrals today and this week by channel, those left waiting past their reminder limit, and the
     * partners whose deliveries are paused (their endpoint answered 410 Gone), with why and since when.
     */
    public record Activity(Instant at, Counts today, Counts thisWeek, int stale, List<Line> staleReferrals,
                           Map<String, Partner.Paused> pausedPartners) {
    }

    private ReferralOverview() {
    }

    public static boolean matches(Search search, Referral r) {
        return (search.partnerId() == null || search.partnerId().equals(r.partnerId()))
                && (search.status() == null || (r.status() != null && r.status().code().equals(search.status())));
    }

    public static Found found(Search search, List<Referral> matching) {
        List<Referral> sorted = new ArrayList<>(matching);
        sorted.sort(Comparator.comparing((Referral r) -> r.source().receivedAt()).reversed());
        int limit = Math.max(1, Math.min(search.limit(), MAX_RESULTS));
        return new Found(sorted.stream().limit(limit).map(Line::of).toList(), sorted.size(), sorted.size() > limit);
    }

    /**
     * Today's and this week's referrals (Monday to now, program time) by channel, and those delivered but unanswered
     * past their program's reminder limit, oldest first.
     */
    public static Activity activity(List<Referral> recent, HubConfiguration config, Instant now) {
        var today = now.atZone(PROGRAM_ZONE).toLocalDate();
        Instant startOfDay = today.atStartOfDay(PROGRAM_ZONE).toInstant();
        Instant startOfWeek = today.minusDays(today.getDayOfWeek().getValue() - 1L).atStartOfDay(PROGRAM_ZONE).toInstant();
        Map<String, Integer> day = new TreeMap<>();
        Map<String, Integer> week = new TreeMap<>();
        List<Referral> stale = new ArrayList<>();
        for (Referral r : recent) {
            Instant received = r.source().receivedAt();
            String channel = r.source().channel() == null ? "unknown" : r.source().channel().code();
            if (!received.isBefore(startOfWeek)) {
                week.merge(channel, 1, Integer::sum);
                if (!received.isBefore(startOfDay)) {
                    day.merge(channel, 1, Integer::sum);
                }
            }
            Program.Staleness staleness = config.program(r.program()).map(Program::staleness).orElse(null);
            if (r.status() == ReferralStatus.REQUESTED && StaleReferrals.isStale(r, staleness, now)) {
                stale.add(r);
            }
        }
        stale.sort(Comparator.comparing((Referral r) -> r.source().receivedAt()));
        Map<String, Partner.Paused> paused = new TreeMap<>();
        config.partners().stream().filter(Partner::isPaused).forEach(p -> paused.put(p.id(), p.paused()));
        return new Activity(now, counts(day), counts(week), stale.size(), stale.stream().limit(50).map(Line::of).toList(),
                paused);
    }

    /** How far back the dashboard reads to find stale referrals: longer than any reminder limit is in practice. */
    public static final Duration LOOK_BACK = Duration.ofDays(120);

    private static Counts counts(Map<String, Integer> byChannel) {
        return new Counts(byChannel.values().stream().mapToInt(Integer::intValue).sum(), new LinkedHashMap<>(byChannel));
    }
}
