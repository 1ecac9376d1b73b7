package org.referralhub.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.Partner;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.DeliveryAttempt;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralStatus;
import org.referralhub.store.NoticeOutbox;
import org.referralhub.store.ReferralStore;

/**
 * What the hub gave up on: partner deliveries whose attempts ran out (the referral {@code failed}, found through the
 * {@code byPartnerStatus} index) and agency notices given up after their retries. Administrators list them with why
 * each failed, and replay one, a filter or all once the cause is fixed: a delivery goes out again with the same
 * idempotency id (the partner can tell a repeat) and a fresh attempt budget; a replay of something no longer dead is
 * a no-op, so nothing is ever sent twice because of a replay.
 */
public final class DeadLetters {

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final NoticeOutbox notices;
    private final Clock clock;

    public DeadLetters(ConfigurationSource configs, ReferralStore store, NoticeOutbox notices, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.notices = notices;
        this.clock = clock;
    }

    /**
     * One dead letter: a {@code delivery} (id: the referral's) or a {@code notice} (id: the notice item's key).
     *
     * @param lastError what the last attempt met (an HTTP status, a timeout…), never client data
     */
    public record Entry(String kind, String id, String referralId, String agencyId, String partnerId, String channel,
                        int attempts, Instant lastAttemptAt, String lastError) {
    }

    /** Every dead letter, deliveries then notices. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        for (Partner partner : configs.current().partners()) {
            for (Referral r : store.ofPartnerInStatus(partner.id(), ReferralStatus.FAILED.code())) {
                if (r.delivery() != null && r.delivery().state() == Delivery.State.FAILED) {
                    List<DeliveryAttempt> attempts = r.delivery().attempts();
                    DeliveryAttempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
                    out.add(new Entry("delivery", r.referralId(), r.referralId(), r.agencyId(), r.partnerId(),
                            last == null ? null : last.channel().name().toLowerCase(Locale.ROOT), attempts.size(),
                            last == null ? null : last.at(), last == null ? null
                            : (last.responseStatus() == null ? "" : "HTTP " + last.responseStatus() + " ")
                            + (last.detail() == null ? "" : last.detail())));
                }
            }
        }
        for (NoticeOutbox.Pending n : notices.givenUp(1000)) {
            out.add(new Entry("notice", n.key(), n.notice().referralId(), n.notice().agencyId(), n.notice().partnerId(),
                    n.channel().code(), n.attempts(), null, "gave up after " + n.attempts() + " attempts"));
        }
        return out;
    }

    /** Replays the dead letters {@code which} picks; answers the ids replayed. */
    public List<String> replay(Predicate<Entry> which, String by) {
        Instant now = clock.instant();
        List<String> replayed = new ArrayList<>();
        for (Entry entry : list()) {
            if (!which.test(entry)) {
                continue;
            }
            if (entry.kind().equals("notice")) {
                if (notices.replay(entry.id(), now)) {
                    replayed.add(entry.id());
                }
                continue;
            }
            boolean[] done = {false};
            store.modify(entry.referralId(), r -> {
                if (r.delivery() == null || r.delivery().state() != Delivery.State.FAILED) {
                    return r;
                }
                done[0] = true;
                Referral again = r.withDelivery(r.delivery().replayed(now));
                return again.status() == ReferralStatus.FAILED
                        ? again.movedTo(ReferralStatus.REQUESTED, again.businessStatus(), "delivery replayed", now, "admin:" + by)
                        : again;
            });
            if (done[0]) {
                replayed.add(entry.id());
            }
        }
        return replayed;
    }
}
