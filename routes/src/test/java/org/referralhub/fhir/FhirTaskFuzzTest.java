package org.referralhub.fhir;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.InvalidReferralException;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.Channel;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.referral.Referral;
import org.referralhub.referral.ReferralIds;

/**
 * Anything a partner sends the FHIR door — a Task to PUT, a JSON Patch, a search's parameters — is read into a report
 * (or nothing to do), or refused with a 400/403/422 that names what; anything an agency posts — a Bundle — is read into
 * a referral and answered, or its problems named — never another exception, so never a 500. Runs its
 * seeds in {@code mvn test}; fuzzes for as long as asked with {@code JAZZER_FUZZ=1} (see README).
 */
class FhirTaskFuzzTest {

    private static final Referral REFERRAL = Samples.storedReferral();
    private static final HubConfiguration CONFIG = Samples.demoConfiguration();
    private static final Agency CICS = CONFIG.agency("cics").orElseThrow();
    private static final ReferralIntake INTAKE = new ReferralIntake(CONFIG);
    private static final BundleReader BUNDLES = new BundleReader(INTAKE);

    @FuzzTest(maxDuration = "5m")
    void aTaskUpdateIsReadOrCleanlyRefused(byte[] body) {
        JsonNode sent;
        try {
            // the seeds name the referral and its partner as placeholders, so they reach past the id check
            sent = CanonicalJson.MAPPER.readTree(new String(body, StandardCharsets.UTF_8)
                    .replace("REFERRAL_ID", REFERRAL.referralId()).replace("PARTNER_ID", String.valueOf(REFERRAL.partnerId())));
        } catch (IOException notJson) {
            return;   // the route answers 400 before TaskUpdate sees it
        }
        for (boolean patch : new boolean[] {false, true}) {
            try {
                var update = patch ? TaskUpdate.fromPatch(sent, REFERRAL) : TaskUpdate.fromPut(sent, REFERRAL);
                if (update != null) {
                    Assertions.assertThat(update.referralId()).isEqualTo(REFERRAL.referralId());
                    Assertions.assertThat(update.status() != null || update.businessStatus() != null
                            || !update.outputs().isEmpty()).isTrue();
                }
            } catch (FhirRefusal refused) {
                Assertions.assertThat(refused.status()).isIn(400, 422);
                Assertions.assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void aReferralBundleIsReadOrCleanlyRefused(byte[] body) {
        BundleReader.Read read;
        try {
            read = BUNDLES.readBundle(CICS, body);
        } catch (ChannelReader.Unreadable unreadable) {
            Assertions.assertThat(unreadable.getMessage()).isNotBlank();
            return;
        }
        if (read.draft() == null) {
            Assertions.assertThat(read.bundle().problems()).isNotEmpty();
            return;
        }
        Instant now = Instant.parse("2026-11-23T15:00:00Z");
        try {
            Referral referral = INTAKE.assemble(new ReferralIntake.Receipt(ReferralIds.newId(now), CICS, Channel.FHIR,
                    CICS.fhirMapping(), now, "s3://x"), read.draft());
            Assertions.assertThat(FhirResources.transactionResponse(read.bundle().entries(), referral, false, "r",
                    read.draft().notRead().stream().map(Object::toString).toList(), now).path("entry"))
                    .hasSameSizeAs(read.bundle().entries());
        } catch (InvalidReferralException invalid) {
            Assertions.assertThat(invalid.errors()).isNotEmpty();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void aTaskSearchIsReadOrCleanlyRefused(byte[] query) {
        // name=value pairs, one per line, as a query string arrives once decoded
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String line : new String(query, StandardCharsets.UTF_8).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                parameters.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        try {
            TaskSearch search = TaskSearch.parse(parameters, "humber");
            Assertions.assertThat(search.count()).isBetween(1, TaskSearch.MAX_COUNT);
            search.matches(REFERRAL);
        } catch (FhirRefusal refused) {
            Assertions.assertThat(refused.status()).isIn(400, 403);
        }
    }
}
