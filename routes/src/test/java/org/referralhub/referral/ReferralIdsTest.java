package org.referralhub.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferralIdsTest {

    @Test
    void idsAreWellFormedUniqueAndCarryTheirTime() {
        Instant at = Instant.parse("2026-11-23T12:34:56.789Z");
        String id = ReferralIds.newId(at);
        assertThat(id).hasSize(26).matches("[0-7][0-9A-HJKMNP-TV-Z]{25}");
        assertThat(ReferralIds.isWellFormed(id)).isTrue();
        assertThat(ReferralIds.timeOf(id)).isEqualTo(at);
        HashSet<String> many = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(ReferralIds.newId(at));
        }
        assertThat(many).hasSize(10_000);
    }

    @Test
    void idsSortByTime() {
        List<String> ids = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 100; i++) {
            ids.add(ReferralIds.newId(t.plusMillis(i * 37L)));
        }
        assertThat(ids).isSorted();
    }

    @Test
    void junkIsNotWellFormed() {
        assertThat(ReferralIds.isWellFormed(null)).isFalse();
        assertThat(ReferralIds.isWellFormed("../../etc/passwd")).isFalse();
        assertThat(ReferralIds.isWellFormed("01M84355NZJFZWGBWCRN73267U")).isFalse();
        assertThat(ReferralIds.isWellFormed("81M84355NZJFZWGBWCRN73267R")).isFalse();
    }
}
