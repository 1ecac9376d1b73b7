package org.referralhub.delivery;

import java.util.List;
import java.util.Locale;
import org.referralhub.referral.Client;

/**
 * What of a client a partner may see, by the consent's scope. A scope naming any of the groups below shares exactly
 * those groups (names, preferred language and where the client lives always go: without them no partner can serve
 * the client); a scope naming none of them — or none at all — is consent to the referral as a whole.
 * <ul>
 *   <li>{@code contact}: e-mail and phone</li>
 *   <li>{@code background}: birth date, other languages, country of origin, arrival date, profession, occupation
 *   code, years of experience, education, English level</li>
 * </ul>
 */
public final class ConsentScope {

    public static final String CONTACT = "contact";
    public static final String BACKGROUND = "background";

    private ConsentScope() {
    }

    public static Client visible(Client client, List<String> scope) {
        List<String> named = scope == null ? List.of() : scope.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        boolean grouped = named.contains(CONTACT) || named.contains(BACKGROUND);
        boolean contact = !grouped || named.contains(CONTACT);
        boolean background = !grouped || named.contains(BACKGROUND);
        return new Client(client.firstName(), client.lastName(), background ? client.birthDate() : null,
                contact ? client.email() : null, contact ? client.phone() : null, client.preferredLanguage(),
                background ? client.otherLanguages() : List.of(), client.city(), client.postalCode(),
                background ? client.countryOfOrigin() : null, background ? client.arrivalDate() : null,
                background ? client.profession() : null, background ? client.occupationCode() : null,
                background ? client.yearsOfExperience() : null, background ? client.education() : null,
                background ? client.englishLevel() : null);
    }
}
