package org.referralhub.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Client;
import org.referralhub.referral.Consent;
import org.referralhub.referral.Referral;
import org.referralhub.referral.Screening;

/**
 * What a partner receives: the referral as the partner needs it to contact the client, limited to what the client's
 * consent scope shares ({@link ConsentScope}), without the hub's internals (archive pointers, delivery bookkeeping).
 * {@code deliveryId} is stable across retries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartnerReferral(String type, String schemaVersion, String deliveryId, String referralId,
                              String program, String agencyId, String agencyName, String agencyReference,
                              Instant referredAt, Client client, Consent consent, Screening screening) {

    public static final String TYPE = "referral.requested";

    public static PartnerReferral of(Referral referral, String agencyName) {
        return new PartnerReferral(TYPE, referral.schemaVersion(), referral.delivery().idempotencyId(),
                referral.referralId(), referral.program(), referral.agencyId(), agencyName,
                referral.source().agencyReference(), referral.source().receivedAt(),
                ConsentScope.visible(referral.client(), referral.consent() == null ? null : referral.consent().scope()),
                referral.consent(), referral.screening());
    }

    /**
     * The same, with only the client fields a partner's configuration selects ({@code client.email}, ...); every
     * field the consent shares when the selection is empty. The selection narrows the consent scope, never widens it.
     */
    public PartnerReferral selecting(List<String> fields) {
        if (fields == null || fields.isEmpty() || client == null) {
            return this;
        }
        ObjectNode tree = CanonicalJson.MAPPER.valueToTree(client);
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        names.stream().filter(n -> !fields.contains("client." + n)).forEach(tree::remove);
        Client selected;
        try {
            selected = CanonicalJson.MAPPER.treeToValue(tree, Client.class);
        } catch (IOException e) {
            throw new IllegalStateException("a client does not read back", e);
        }
        return new PartnerReferral(type, schemaVersion, deliveryId, referralId, program, agencyId, agencyName,
                agencyReference, referredAt, selected, consent, screening);
    }
}
