package org.referralhub.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    @Test
    void labelValueLinesMakeOneReferral() {
        List<ObjectNode> forms = FormBody.parse("""
                Hello,

                Please find a referral below.

                First name: Amara
                Last name : Okafor
                Email: amara@example.org
                Consent: yes

                Thanks, Joan (referral coach)
                """);
        assertThat(forms).singleElement().satisfies(f -> {
            assertThat(f.get("First name").asText()).isEqualTo("Amara");
            assertThat(f.get("Last name").asText()).isEqualTo("Okafor");
            assertThat(f.has("Thanks, Joan (referral coach)")).isFalse();
        });
    }

    @Test
    void aRepeatedLabelOrASeparatorStartsTheNextReferral() {
        List<ObjectNode> forms = FormBody.parse("""
                Prénom : Marie
                Nom : Dubois
                Courriel : marie@exemple.ca
                ---
                Prénom : Jean
                Nom : Tremblay
                Prénom : Luc
                Nom : Gagnon
                """);
        assertThat(forms).extracting(f -> f.get("Prénom").asText()).containsExactly("Marie", "Jean", "Luc");
    }

    @Test
    void quotedHistoryOfAReplyIsNotReadAgain() {
        List<ObjectNode> forms = FormBody.parse("""
                First name: Lina
                Last name: Haddad
                Email: lina@example.net

                On Mon, Nov 23, 2026 at 9:00 AM Hub <referrals@hub.example> wrote:
                > First name: Omar
                > Last name: Farouk
                """);
        assertThat(forms).singleElement().satisfies(f -> assertThat(f.get("First name").asText()).isEqualTo("Lina"));
        assertThat(FormBody.parse("Merci!\n\nLe lun. 23 nov. 2026, Hub a écrit :\n> Prénom : Omar\n> Nom : Farouk\n")).isEmpty();
    }

    @Test
    void aForwardedFormIsReadOnceWhenTheForwarderWroteNone() {
        List<ObjectNode> forms = FormBody.parse("""
                FYI — please refer this client.

                ---------- Forwarded message ---------
                From: Coach <coach@cics.example>
                Date: Mon, Nov 23, 2026
                Subject: referral
                To: intake@cics.example

                First name: Wei
                Last name: Zhang
                Email: wei@example.cn
                """);
        assertThat(forms).singleElement().satisfies(f -> {
            assertThat(f.get("First name").asText()).isEqualTo("Wei");
            assertThat(f.has("From")).isFalse();
        });
    }
}
