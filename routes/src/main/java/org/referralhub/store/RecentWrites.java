package org.referralhub.store;

import java.util.LinkedHashMap;
import java.util.Map;
import org.referralhub.referral.Referral;

/**
 * The referrals this process wrote last, each with the item version it wrote: a change that follows its own write —
 * a delivery recorded after its claim, a claim after the intake stored the referral — is written at once, conditional
 * on that version, without reading the item again. The condition keeps it safe: if anyone wrote since, the write is
 * refused and the change is made again from a fresh read. Bounded; forgets the oldest first.
 */
final class RecentWrites {

    /** A referral as this process wrote it, and the version it wrote. */
    record Written(Referral referral, long version) {
    }

    private final Map<String, Written> written;

    RecentWrites(int capacity) {
        this.written = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void wrote(Referral referral, long version) {
        written.put(referral.referralId(), new Written(referral, version));
    }

    synchronized Written take(String referralId) {
        return written.remove(referralId);
    }

    synchronized void forget(String referralId) {
        written.remove(referralId);
    }
}
