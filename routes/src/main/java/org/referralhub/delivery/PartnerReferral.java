package org.referralhub.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
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
}
