package org.referralhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.outcome.FunnelReport;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.NearMatch;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralStatus;

/**
 * A near match held for its agency: unrouted and unsent while it waits, the earlier referral named; released as
 * another client, it is routed as any referral; as the same client, it is cancelled and the funnel counts the client
 * once — never as rejected.
 */
class NearMatchTest {

    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");
    private final HubConfiguration config = Samples.demoConfiguration();
    private final ReferralIntake intake = new ReferralIntake(config);

    private Referral eligible() {
        Agency agency = config.agency("cics").orElseThrow();
        return intake.assemble(new ReferralIntake.Receipt(ReferralIds.newId(NOW), agency, Channel.WEBHOOK,
                agency.webhookMapping(), NOW, "file:///archive/raw/x.json"), Samples.payload("cics-canonical.json"));
    }

    @Test
    void aHeldNearMatchIsUnroutedUnsentAndNamesTheEarlierReferralAndTheAnswer() {
        Referral held = NearMatch.held(eligible(), "ref_earlier", NOW);
        assertThat(held.status()).isEqualTo(ReferralStatus.ON_HOLD);
        assertThat(held.statusReason()).isEqualTo("near-match");
        assertThat(held.routing()).isNull();
        assertThat(held.delivery().state()).isEqualTo(Delivery.State.WITHHELD);
        assertThat(held.screening().reasons()).anySatisfy(r -> {
            assertThat(r.code()).isEqualTo("near-match");
            assertThat(r.message()).contains("ref_earlier").contains("/v1/referrals/" + held.referralId() + "/near-match")
                    .contains("another-client").contains("same-client");
        });
        assertThat(NearMatch.isHeld(held)).isTrue();
    }

    @Test
    void releasedAsAnotherClientItIsRoutedAndQueuedWithoutTheHoldsReason() {
        Referral held = NearMatch.held(eligible(), "ref_earlier", NOW);
        Referral released = intake.release(held, "agency:cics", NOW.plusSeconds(60));
        assertThat(released.status()).isEqualTo(ReferralStatus.REQUESTED);
        assertThat(released.partnerId()).isEqualTo("jvs-toronto");
        assertThat(released.delivery().state()).isEqualTo(Delivery.State.PENDING);
        assertThat(released.screening().reasons()).noneMatch(r -> r.code().equals("near-match"));
        assertThat(released.statusHistory()).extracting(s -> s.by())
                .containsExactly("agency:cics", "hub:near-match", "agency:cics");
        assertThatThrownBy(() -> intake.release(released, "agency:cics", NOW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSameClientIsCancelledAndTheFunnelCountsTheClientOnceAndNeverAsRejected() {
        Referral first = eligible();
        Referral waiting = NearMatch.held(eligible(), first.referralId(), NOW);
        Referral same = NearMatch.sameClient(NearMatch.held(eligible(), first.referralId(), NOW), "agency:cics", NOW);
        assertThat(same.status()).isEqualTo(ReferralStatus.CANCELLED);
        assertThat(same.statusReason()).isEqualTo("same-client");

        FunnelReport.Row all = FunnelReport.of(null, null, Map.of(), List.of(first, waiting, same)).total();
        assertThat(all.received()).as("the same client's repeat is not a referral of its own").isEqualTo(2);
        assertThat(all.eligible()).isEqualTo(2);
        assertThat(all.rejected()).as("a near match waiting is not rejected").isZero();
    }

    @Test
    void answersAreReadAsAgenciesWriteThem() {
        assertThat(NearMatch.Answer.of("another-client")).contains(NearMatch.Answer.ANOTHER_CLIENT);
        assertThat(NearMatch.Answer.of("same-client")).contains(NearMatch.Answer.SAME_CLIENT);
        assertThat(NearMatch.Answer.of("yes")).isEmpty();
        assertThat(NearMatch.Answer.of(null)).isEmpty();
    }
}
