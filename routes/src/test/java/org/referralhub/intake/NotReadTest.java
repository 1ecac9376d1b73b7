package org.referralhub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.referral.Channel;
import org.referralhub.referral.Delivery;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;
import org.referralhub.referral.ReferralStatus;

/**
 * What a mapping does not read is said, by name: a French file whose English-level column is called "Niveau CLB"
 * (the mapping knows "Niveau d'anglais" and "NCLC") — the column named, its probable field said, and the eligible
 * client held for the mapping rather than rejected for a missing English level.
 */
class NotReadTest {

    private static final HubConfiguration CONFIG = Samples.demoConfiguration();
    private static final Agency BOREAL = CONFIG.agency("college-boreal").orElseThrow();
    private static final ReferralIntake INTAKE = new ReferralIntake(CONFIG);
    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

    private static Referral row(String englishLevelColumn) {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("Prénom", "Aimée");
        cells.put("Nom", "Diallo");
        cells.put("Courriel", "aimee.diallo@example.org");
        cells.put("Consentement", "Oui");
        cells.put("Date du consentement", "20/11/2026");
        cells.put("Date d'arrivée", "15/03/2024");
        cells.put("Années d'expérience", "9");
        cells.put("Profession", "Ingénieure civile");
        cells.put("Code postal", "M2N 6K1");
        cells.put(englishLevelColumn, "8");
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        cells.forEach(fields::put);
        ReferralDraft draft = INTAKE.mapperFor(BOREAL.fileMapping(), List.copyOf(cells.keySet())).apply(fields);
        return INTAKE.assemble(new ReferralIntake.Receipt(ReferralIds.newId(NOW), BOREAL, Channel.SFTP,
                BOREAL.fileMapping(), NOW, "test"), draft);
    }

    @Test
    void anUnknownColumnIsNamedWithItsProbableFieldAndTheClientHeldNotRejected() {
        List<String> headers = List.of("Prénom", "Nom", "Niveau CLB", "Remarques");
        assertThat(INTAKE.mapperFor(BOREAL.fileMapping(), headers).apply(JsonNodeFactory.instance.objectNode()).notRead())
                .containsExactly(new NotRead("Niveau CLB", "client.englishLevel"), new NotRead("Remarques", null));

        Referral held = row("Niveau CLB");
        assertThat(held.status()).isEqualTo(ReferralStatus.ON_HOLD);
        assertThat(held.statusReason()).isEqualTo(ReferralIntake.NOT_UNDERSTOOD);
        assertThat(held.delivery().state()).isEqualTo(Delivery.State.WITHHELD);
        assertThat(held.screening().reasons()).anySatisfy(r -> assertThat(r.message())
                .isEqualTo("not understood: Niveau CLB (probably client.englishLevel)"));

        Referral read = row("Niveau d'anglais");
        assertThat(read.status()).isEqualTo(ReferralStatus.REQUESTED);
        assertThat(read.screening().eligible()).isTrue();
    }

    @Test
    void aWebhookFieldNoPathReadsIsNamedAndAKnownOneIsNot() {
        ObjectNode payload = (ObjectNode) Samples.payload("cics-canonical.json").deepCopy();
        payload.putObject("intakeNotes").put("text", "x");
        assertThat(INTAKE.draft(CONFIG.agency("cics").orElseThrow().webhookMapping(), payload).notRead())
                .extracting(NotRead::name).containsExactly("intakeNotes");
    }
}
