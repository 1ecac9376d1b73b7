package org.referralhub.outcome;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.Partner;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.store.ReferralStore;

/**
 * A partner's report, whichever channel brought it (API call, status file, e-mail link): applied to the referral
 * and, in the same write, the referring agency's notices queued on each of its channels.
 */
public final class StatusReports {

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final Clock clock;

    public StatusReports(ConfigurationSource configs, ReferralStore store, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.clock = clock;
    }

    /**
     * @throws Outcomes.RefusedUpdate with the reason when the report cannot be applied (nothing is written then)
     */
    public Referral report(Partner partner, StatusUpdate update) {
        Instant now = clock.instant();
        if (update.referralId() == null || !ReferralIds.isWellFormed(update.referralId())) {
            throw new Outcomes.RefusedUpdate("not-found", "There is no referral with this id.");
        }
        return store.update(update.referralId(), r -> Outcomes.apply(r, update, partner.id(), now),
                        changed -> notices(changed, now))
                .orElseThrow(() -> new Outcomes.RefusedUpdate("not-found", "There is no referral with this id."));
    }

    /** The notices a change calls for: one per channel the agency is told on. */
    public List<ReferralStore.NoticeDue> notices(Referral changed, Instant now) {
        Agency agency = configs.current().agency(changed.agencyId()).orElse(null);
        if (agency == null || agency.notifications() == null) {
            return List.of();
        }
        Notice notice = Notice.of(ReferralIds.newId(now), changed);
        Agency.Notify notify = agency.notifications();
        List<ReferralStore.NoticeDue> out = new ArrayList<>();
        if (notify.webhook() != null) {
            out.add(new ReferralStore.NoticeDue(notice, Channel.WEBHOOK, now));
        }
        if (notify.email() != null) {
            out.add(new ReferralStore.NoticeDue(notice, Channel.EMAIL, notify.email().digestHourUtc() == null ? now
                    : nextDigest(now, notify.email().digestHourUtc())));
        }
        if (notify.bySftp()) {
            out.add(new ReferralStore.NoticeDue(notice, Channel.SFTP, now));
        }
        return out;
    }

    /** The next time the daily digest goes out. */
    static Instant nextDigest(Instant now, int hourUtc) {
        ZonedDateTime today = now.atZone(ZoneOffset.UTC).withHour(hourUtc).withMinute(0).withSecond(0).withNano(0);
        return (today.toInstant().isAfter(now) ? today : today.plusDays(1)).toInstant();
    }
}
