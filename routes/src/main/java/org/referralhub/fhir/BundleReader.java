package org.referralhub.fhir;

import java.util.List;
import org.referralhub.config.Agency;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.NotRead;
import org.referralhub.intake.ReferralDraft;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.intake.WebhookReader;

/**
 * The FHIR door's reading: a transaction Bundle ({@link ReferralBundle}) through the agency's FHIR mapping, as one
 * draft; the elements and Observations the mapping reads nothing from are said back as not read.
 */
public final class BundleReader implements ChannelReader {

    private final ReferralIntake intake;

    public BundleReader(ReferralIntake intake) {
        this.intake = intake;
    }

    /** A Bundle read: its entries and problems, and the draft when it has none. */
    public record Read(ReferralBundle bundle, ReferralDraft draft) {
    }

    /**
     * Reads a Bundle's bytes; {@code draft} is null when the Bundle has {@linkplain ReferralBundle#problems problems}.
     *
     * @throws Unreadable when the body is not JSON, not a Bundle, or not a transaction
     */
    public Read readBundle(Agency agency, byte[] bytes) {
        ReferralBundle bundle;
        try {
            bundle = ReferralBundle.read(WebhookReader.json(bytes));
        } catch (FhirRefusal refused) {
            throw new Unreadable(refused.getMessage());
        }
        if (!bundle.problems().isEmpty()) {
            return new Read(bundle, null);
        }
        String mapping = agency.fhirMapping();
        List<NotRead> below = bundle.notRead(intake.sources(mapping)).stream().map(name -> new NotRead(name, null)).toList();
        return new Read(bundle, intake.draft(mapping, bundle.resources(), agency.dateOrder()).withNotRead(below));
    }

    @Override
    public void read(Agency agency, String name, byte[] bytes, Found found) {
        Read read = readBundle(agency, bytes);
        read.bundle().problems().forEach(found::problem);
        if (read.draft() != null) {
            found.draft(new Labelled("the Bundle", null, read.draft()));
        }
    }
}
