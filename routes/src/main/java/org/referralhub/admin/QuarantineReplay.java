package org.referralhub.admin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralhub.email.EmailImport;
import org.referralhub.files.FileImport;
import org.referralhub.referral.Channel;
import org.referralhub.store.ReferralStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quarantined inputs run again from their archived copy, each once (a second replay is refused): a message whose
 * sender was not allowed, once the administrator allowed it; a file whose rows were rejected, once its mapping was
 * fixed (rows accepted before keep their referral; none is stored twice).
 */
public final class QuarantineReplay {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineReplay.class);
    private static final int LIST_LIMIT = 1000;

    private final ReferralStore store;
    private final FileImport files;
    private final EmailImport email;
    private final Clock clock;

    /**
     * @param files the file channel, to run files with rejected rows again
     * @param email the e-mail channel, to replay quarantined messages (null when the hub takes no e-mail)
     */
    public QuarantineReplay(ReferralStore store, FileImport files, EmailImport email, Clock clock) {
        this.store = store;
        this.files = files;
        this.email = email;
        this.clock = clock;
    }

    /** Which quarantined inputs to replay: by receipt ids, or by filter, or all of them. */
    public record Selection(Set<String> ids, String channel, String reason, String agencyId, boolean all) {

        public Selection {
            ids = ids == null ? Set.of() : Set.copyOf(ids);
        }

        boolean isEmpty() {
            return ids.isEmpty() && channel == null && reason == null && agencyId == null && !all;
        }

        boolean selects(Map<String, Object> q) {
            return (ids.isEmpty() || ids.contains(q.get("receiptId"))) && (channel == null || channel.equals(q.get("channel")))
                    && (reason == null || reason.equals(q.get("reason"))) && (agencyId == null || agencyId.equals(q.get("agencyId")));
        }
    }

    public List<Map<String, Object>> list() {
        return store.quarantinedInputs(LIST_LIMIT);
    }

    /** Replays one quarantined input; answers what became of it. */
    public Object replay(String receiptId, String by) {
        Map<String, Object> record = store.takeForReplay(receiptId, clock.instant())
                .orElseThrow(() -> new AdminRefusal(409, "conflict", "Nothing to replay",
                        "There is no quarantined input " + receiptId + " waiting (it may have been replayed already)."));
        Object outcome = run(record);
        LOG.info("admin {} replayed quarantined input {}", by, receiptId);
        return outcome;
    }

    /** Replays every quarantined input selected; answers, per input, what became of it or why it was refused. */
    public List<Map<String, Object>> replay(Selection selection, String by) {
        if (selection.isEmpty()) {
            throw new AdminRefusal(400, "malformed", "Replay what?", "Send {\"ids\": [...]}, a filter {\"channel\": "
                    + "\"email|sftp\", \"reason\": ..., \"agency\": ...}, or {\"all\": true}.");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> q : list()) {
            if (!selection.selects(q)) {
                continue;
            }
            String receiptId = String.valueOf(q.get("receiptId"));
            var taken = store.takeForReplay(receiptId, clock.instant());
            if (taken.isEmpty()) {
                continue;
            }
            try {
                out.add(Map.of("receiptId", receiptId, "outcome", run(taken.get())));
            } catch (AdminRefusal refused) {
                out.add(Map.of("receiptId", receiptId, "refused", refused.title() + ": " + refused.getMessage()));
            }
        }
        LOG.info("admin {} replayed {} quarantined input(s)", by, out.size());
        return out;
    }

    private Object run(Map<String, Object> record) {
        String rawRef = String.valueOf(record.get("rawPayloadRef"));
        if (rawRef.isEmpty() || rawRef.startsWith("mail-drop:")) {
            throw new AdminRefusal(409, "conflict", "Cannot be replayed",
                    "This input was refused before it was archived (too large); the sender must send it again.");
        }
        Channel channel = Channel.fromCode(String.valueOf(record.get("channel")));
        if (channel == Channel.SFTP && record.get("fileName") != null) {
            return files.replay(String.valueOf(record.get("agencyId")), String.valueOf(record.get("receiptId")),
                    String.valueOf(record.get("dropUser")), String.valueOf(record.get("fileName")), rawRef);
        }
        if (channel != Channel.EMAIL || email == null) {
            throw new AdminRefusal(409, "conflict", "Cannot be replayed", "This hub cannot replay this kind of input.");
        }
        return email.replay(String.valueOf(record.get("receiptId")), rawRef);
    }
}
