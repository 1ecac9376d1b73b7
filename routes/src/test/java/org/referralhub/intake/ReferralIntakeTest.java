package org.referralhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralStatus;

class ReferralIntakeTest {

    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");
    private final HubConfiguration config = Samples.demoConfiguration();
    private final ReferralIntake intake = new ReferralIntake(config);

    private Referral assemble(String agencyId, JsonNode payload) {
        Agency agency = config.agency(agencyId).orElseThrow();
        return intake.assemble(new ReferralIntake.Receipt(ReferralIds.newId(NOW), agency, Channel.WEBHOOK,
                agency.webhookMapping(), NOW, "file:///archive/raw/x.json"), payload);
    }

    @Test
    void anEligibleReferralIsRequestedRoutedAndQueuedForDelivery() {
        Referral referral = assemble("cics", Samples.payload("cics-canonical.json"));
        assertThat(referral.status()).isEqualTo(ReferralStatus.REQUESTED);
        assertThat(referral.screening().eligible()).isTrue();
        assertThat(referral.routing().partnerId()).isEqualTo("jvs-toronto");
        assertThat(referral.routing().ruleId()).isEqualTo("north-york");
        assertThat(referral.delivery().state()).isEqualTo(Delivery.State.PENDING);
        assertThat(referral.delivery().idempotencyId()).isEqualTo("dlv_" + referral.referralId() + "_jvs-toronto");
        assertThat(referral.source().rawPayloadRef()).isEqualTo("file:///archive/raw/x.json");
        assertThat(referral.statusHistory()).extracting(s -> s.by()).containsExactly("agency:cics");
    }

    @Test
    void eachDemoAgencyShapeIsRoutedByTheDemoRules() {
        assertThat(assemble("cet", Samples.payload("cet-formtool.json")).partnerId()).isEqualTo("humber");
        assertThat(assemble("college-boreal", Samples.payload("college-boreal-crm.json")).partnerId()).isEqualTo("acces-employment");
        assertThat(assemble("polycultural", Samples.payload("polycultural-crm.json")).partnerId()).isEqualTo("jobstart");
    }

    @Test
    void aClientWithoutKnownLanguagesIsPassedByALanguageRuleInsteadOfFailing() {
        // found by WebhookPayloadFuzzTest: List.contains(null) threw, and the agency got a 500
        ObjectNode payload = (ObjectNode)
                Samples.payload("college-boreal-crm.json");
        ((ObjectNode) payload.get("client")).remove(List.of("langue", "autres_langues"));
        Referral referral = assemble("college-boreal", payload);
        assertThat(referral.routing().ruleId()).isNotEqualTo("francophone-clients");
        assertThat(referral.status()).isEqualTo(ReferralStatus.REQUESTED);
    }

    @Test
    void anIneligibleReferralIsStoredAsRejectedWithReasonsAndNeverDelivered() {
        ObjectNode payload = Samples.payload("cics-canonical.json").deepCopy();
        ((ObjectNode) payload.get("client")).put("englishLevel", 5).put("arrivalDate", "2015-01-10");
        Referral referral = assemble("cics", payload);
        assertThat(referral.status()).isEqualTo(ReferralStatus.REJECTED);
        assertThat(referral.statusReason()).isEqualTo("not-eligible");
        assertThat(referral.screening().reasons()).extracting(r -> r.code())
                .containsExactlyInAnyOrder("english-level-too-low", "arrived-too-long-ago");
        assertThat(referral.delivery().state()).isEqualTo(Delivery.State.WITHHELD);
        assertThat(referral.routing()).isNull();
        assertThat(referral.statusHistory()).extracting(s -> s.status())
                .containsExactly(ReferralStatus.REQUESTED, ReferralStatus.REJECTED);
    }

    @Test
    void withoutConsentNothingIsForwarded() {
        ObjectNode payload = Samples.payload("cics-canonical.json").deepCopy();
        ((ObjectNode) payload.get("consent")).put("given", false);
        Referral referral = assemble("cics", payload);
        assertThat(referral.delivery().state()).isEqualTo(Delivery.State.WITHHELD);
        assertThat(referral.screening().reasons()).extracting(r -> r.code()).contains("consent-missing");
    }

    @Test
    void aCoachsNotSuitableWithholdsAnEligibleClient() {
        ObjectNode payload = Samples.payload("polycultural-crm.json").deepCopy();
        payload.put("Coach Assessment", "Not suitable");
        Referral referral = assemble("polycultural", payload);
        assertThat(referral.screening().eligible()).isTrue();
        assertThat(referral.statusReason()).isEqualTo("not-suitable");
        assertThat(referral.delivery().state()).isEqualTo(Delivery.State.WITHHELD);
    }

    @Test
    void controlCharactersAndDirectionOverridesAreRefusedWithTheFieldNamedAndJoinersAreText() {
        ObjectNode payload = (ObjectNode) Samples.payload("cics-canonical.json");
        ((ObjectNode) payload.get("client")).put("firstName", "Am\u0000ara").put("lastName", "Oka\u202Efor")
                .put("profession", "Civil\u0085engineer");   // NEL, a C1 control no whitespace rule reads
        assertThatThrownBy(() -> assemble("cics", payload)).isInstanceOf(InvalidReferralException.class)
                .satisfies(e -> assertThat(((InvalidReferralException) e).errors())
                        .extracting(FieldError::field, FieldError::code).contains(
                                Tuple.tuple("client.firstName", "control-character"),
                                Tuple.tuple("client.lastName", "control-character"),
                                Tuple.tuple("client.profession", "control-character")));
        ObjectNode persian = (ObjectNode) Samples.payload("cics-canonical.json");
        ((ObjectNode) persian.get("client")).put("firstName", "\u0641\u0631\u0632\u0627\u0646\u0647\u200C");
        assertThat(assemble("cics", persian).client().firstName()).contains("\u200C");
    }

    @Test
    void anInvalidPayloadListsEveryProblem() {
        ObjectNode payload = Samples.payload("cics-canonical.json").deepCopy();
        ObjectNode client = (ObjectNode) payload.get("client");
        client.remove("lastName");
        client.remove("email");
        client.remove("phone");
        client.put("arrivalDate", "2099-01-01");
        payload.put("program", "no-such-program");
        assertThatThrownBy(() -> assemble("cics", payload))
                .isInstanceOfSatisfying(InvalidReferralException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field, FieldError::code)
                        .containsExactlyInAnyOrder(
                                Tuple.tuple("client.lastName", "required"),
                                Tuple.tuple("client.email", "contact-required"),
                                Tuple.tuple("client.arrivalDate", "future-date"),
                                Tuple.tuple("program", "unknown-program")));
    }
}
