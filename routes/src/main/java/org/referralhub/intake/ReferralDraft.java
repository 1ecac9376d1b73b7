package org.referralhub.intake;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.referralhub.referral.Client;
import org.referralhub.referral.Consent;

/**
 * The canonical fields read from one agency payload, already normalized, with the errors met on the way and,
 * for each field, the agency's own field it came from.
 */
public final class ReferralDraft {

    private final Map<CanonicalField, Object> values;
    private final Map<CanonicalField, String> sources;
    private final List<FieldError> errors;
    private final List<NotRead> notRead;

    ReferralDraft(EnumMap<CanonicalField, Object> values, Map<CanonicalField, String> sources, List<FieldError> errors,
                  List<NotRead> notRead) {
        this.values = Collections.unmodifiableMap(values.clone());
        this.sources = Map.copyOf(sources);
        this.errors = List.copyOf(errors);
        this.notRead = List.copyOf(notRead);
    }

    /** The input's columns, labels or top-level fields the mapping read nothing from: said back, never dropped. */
    public List<NotRead> notRead() {
        return notRead;
    }

    /** The same draft with {@code more} names said back as not read (a channel that reads below the top level). */
    public ReferralDraft withNotRead(List<NotRead> more) {
        EnumMap<CanonicalField, Object> copy = new EnumMap<>(CanonicalField.class);
        copy.putAll(values);
        List<NotRead> all = new ArrayList<>(notRead);
        all.addAll(more);
        return new ReferralDraft(copy, sources, errors, all);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The same draft with more errors: what the channel could not read as sent (a cell too long, say). */
    public ReferralDraft withErrors(List<FieldError> more) {
        EnumMap<CanonicalField, Object> copy = new EnumMap<>(CanonicalField.class);
        copy.putAll(values);
        List<FieldError> all = new ArrayList<>(errors);
        all.addAll(more);
        return new ReferralDraft(copy, sources, all, notRead);
    }

    public Object value(CanonicalField field) {
        return values.get(field);
    }

    public boolean has(CanonicalField field) {
        return value(field) != null;
    }

    /** The agency's field a canonical field was read from (or would have been). */
    public String source(CanonicalField field) {
        return sources.get(field);
    }

    public String text(CanonicalField field) {
        return (String) value(field);
    }

    public String program() {
        return text(CanonicalField.PROGRAM);
    }

    public String agencyReference() {
        return text(CanonicalField.AGENCY_REFERENCE);
    }

    public Boolean suitable() {
        return (Boolean) value(CanonicalField.SUITABLE);
    }

    @SuppressWarnings("unchecked")
    public Client client() {
        return new Client(
                text(CanonicalField.FIRST_NAME),
                text(CanonicalField.LAST_NAME),
                (LocalDate) value(CanonicalField.BIRTH_DATE),
                text(CanonicalField.EMAIL),
                text(CanonicalField.PHONE),
                text(CanonicalField.PREFERRED_LANGUAGE),
                (List<String>) value(CanonicalField.OTHER_LANGUAGES),
                text(CanonicalField.CITY),
                text(CanonicalField.POSTAL_CODE),
                text(CanonicalField.COUNTRY_OF_ORIGIN),
                (LocalDate) value(CanonicalField.ARRIVAL_DATE),
                text(CanonicalField.PROFESSION),
                text(CanonicalField.OCCUPATION_CODE),
                (Integer) value(CanonicalField.YEARS_OF_EXPERIENCE),
                text(CanonicalField.EDUCATION),
                (Integer) value(CanonicalField.ENGLISH_LEVEL));
    }

    @SuppressWarnings("unchecked")
    public Consent consent() {
        return new Consent(
                (Boolean) value(CanonicalField.CONSENT_GIVEN),
                (List<String>) value(CanonicalField.CONSENT_SCOPE),
                (Instant) value(CanonicalField.CONSENT_CAPTURED_AT),
                (Instant) value(CanonicalField.CONSENT_EXPIRES_AT));
    }
}
