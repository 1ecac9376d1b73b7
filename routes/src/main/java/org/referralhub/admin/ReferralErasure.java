package org.referralhub.admin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.referralhub.archive.RawArchive;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.files.FileImport;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Referral;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's erasure on request: the referral, its agency-reference claim and its archived raw payload are deleted
 * (a file's or a message's whole copy, which held it), with the agency's processed copy of a dropped file; the
 * partners it reached are asked to erase theirs; an erasure record without personal data stays — who, when, why,
 * what was removed, which partners were asked — and the referral answers 410 with it from then on.
 */
public final class ReferralErasure {

    private static final Logger LOG = LoggerFactory.getLogger(ReferralErasure.class);

    private final ConfigurationSource configs;
    private final ReferralStore store;
    private final RawArchive archive;
    private final FileImport files;
    private final Function<Referral, List<String>> tellPartners;
    private final Clock clock;

    /** @param tellPartners asks the partners the referral reached to erase their copy; answers what was said to whom */
    public ReferralErasure(ConfigurationSource configs, ReferralStore store, RawArchive archive, FileImport files,
                           Function<Referral, List<String>> tellPartners, Clock clock) {
        this.configs = configs;
        this.store = store;
        this.archive = archive;
        this.files = files;
        this.tellPartners = tellPartners;
        this.clock = clock;
    }

    /** Erases the referral (once: a second erasure answers the first's record); answers the erasure record. */
    public Map<String, Object> erase(String referralId, String reason, String by) {
        String why = reason == null ? "" : reason.trim();
        if (why.isEmpty() || why.length() > 500) {
            throw new AdminRefusal(400, "malformed", "Why?",
                    "Send {\"reason\": \"…\"} (at most 500 characters, no personal data): it is kept in the erasure record.");
        }
        var erased = store.erasure(referralId);
        if (erased.isPresent()) {
            return erased.get();
        }
        Referral referral = store.find(referralId).orElseThrow(() -> new AdminRefusal(404, "not-found",
                "No such referral", "There is no referral " + referralId + "."));
        List<String> removed = new ArrayList<>(List.of("referral"));
        if (referral.source() != null && referral.source().agencyReference() != null) {
            removed.add("agency-reference claim");
        }
        String rawRef = referral.source() == null ? null : referral.source().rawPayloadRef();
        if (rawRef != null && (rawRef.startsWith("file:") || rawRef.startsWith("s3:"))) {
            boolean whole = rawRef.contains("#");
            if (archive.erase(rawRef)) {
                removed.add(whole ? "archived raw file or message (it held this referral and possibly others)"
                        : "archived raw payload");
            }
        }
        if (referral.source() != null && referral.source().channel() == Channel.SFTP && rawRef != null) {
            String receipt = rawRef.substring(rawRef.lastIndexOf('/') + 1).replaceAll("[.#].*$", "");
            var agency = configs.current().agency(referral.agencyId());
            if (agency.isPresent() && !files.eraseProcessedCopies(agency.get(), receipt).isEmpty()) {
                removed.add("the agency's processed file in its SFTP archive/ folder (it held this referral and possibly others)");
            }
        }
        List<String> told = tellPartners.apply(referral);
        Map<String, Object> record = store.erase(referral, by, why, removed, told, clock.instant());
        LOG.info("admin {} erased referral {}", by, referralId);
        return record;
    }
}
