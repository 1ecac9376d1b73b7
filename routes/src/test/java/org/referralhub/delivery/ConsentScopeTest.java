package org.referralhub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralhub.referral.Client;

class ConsentScopeTest {

    private static final Client CLIENT = new Client("Dara", "Karimi", LocalDate.of(1990, 1, 1), "dara@example.ir",
            "+16475550190", "fa", List.of("en"), "Toronto", "M3C 1A1", "IR", LocalDate.of(2024, 1, 10), "Engineer",
            "21300", 5, "Master's", 9);

    @Test
    void noGroupNamedIsConsentToTheWholeReferral() {
        assertThat(ConsentScope.visible(CLIENT, List.of())).isEqualTo(CLIENT);
        assertThat(ConsentScope.visible(CLIENT, List.of("share-with-delivery-partner"))).isEqualTo(CLIENT);
    }

    @Test
    void namedGroupsShareOnlyThemselvesButNamesAndPlaceAlwaysGo() {
        Client background = ConsentScope.visible(CLIENT, List.of("background"));
        assertThat(background.email()).isNull();
        assertThat(background.phone()).isNull();
        assertThat(background.yearsOfExperience()).isEqualTo(5);
        assertThat(background.firstName()).isEqualTo("Dara");
        assertThat(background.postalCode()).isEqualTo("M3C 1A1");
        Client contact = ConsentScope.visible(CLIENT, List.of("Contact"));
        assertThat(contact.email()).isEqualTo("dara@example.ir");
        assertThat(contact.birthDate()).isNull();
        assertThat(contact.countryOfOrigin()).isNull();
        assertThat(contact.otherLanguages()).isEmpty();
    }

    @Test
    void aPartnersFieldSelectionNarrowsWhatTheConsentShares() {
        PartnerReferral full = new PartnerReferral(PartnerReferral.TYPE, "1.0", "dlv", "r", "p", "a", "Agency", "ref",
                Instant.EPOCH, ConsentScope.visible(CLIENT, List.of("background")), null, null);
        PartnerReferral selected = full.selecting(List.of("client.firstName", "client.lastName", "client.email",
                "client.postalCode"));
        assertThat(selected.client().firstName()).isEqualTo("Dara");
        assertThat(selected.client().postalCode()).isEqualTo("M3C 1A1");
        assertThat(selected.client().email()).as("not in the consent scope: selecting it does not widen it").isNull();
        assertThat(selected.client().yearsOfExperience()).isNull();
        assertThat(selected.client().otherLanguages()).isEmpty();
        assertThat(selected.referralId()).isEqualTo("r");
        assertThat(full.selecting(List.of())).isSameAs(full);
    }
}
