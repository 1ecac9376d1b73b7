package org.referralhub.files;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import org.assertj.core.api.Assertions;
import org.referralhub.Samples;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.intake.InvalidReferralException;
import org.referralhub.intake.ReferralIntake;
import org.referralhub.referral.Channel;
import org.referralhub.referral.ReferralIds;

/**
 * Any agency file — CSV, TSV, XLSX (a zip), JSON or JSON Lines — read row by row through the agency's file mapping:
 * each row a referral or its field errors, the file as a whole at worst unreadable — never another exception. Small
 * limits keep each run quick; the limits themselves are part of what is tried.
 */
class AgencyFileFuzzTest {

    private static final HubConfiguration CONFIG = Samples.demoConfiguration();
    private static final ReferralIntake INTAKE = new ReferralIntake(CONFIG);
    private static final Agency AGENCY = CONFIG.agency("cics").orElseThrow();
    private static final FileLimits LIMITS = new FileLimits(200, 50, 2_000, 2L * 1024 * 1024);
    private static final String[] NAMES = {"referrals.csv", "referrals.tsv", "referrals.xlsx", "referrals.json",
            "referrals.jsonl", "referrals.txt"};
    private static final Instant NOW = Instant.parse("2026-11-23T15:00:00Z");

    @FuzzTest(maxDuration = "5m")
    void anAgencyFileIsReadOrCleanlyRefused(FuzzedDataProvider data) {
        String name = NAMES[data.consumeInt(0, NAMES.length - 1)];
        byte[] content = data.consumeRemainingAsBytes();
        try (AgencyFileReader reader = AgencyFileReader.open(INTAKE, AGENCY, name, content, LIMITS)) {
            int last = 0;
            while (reader.hasNext()) {
                AgencyFileReader.Row row = reader.next();
                // rows are answered by number in the results file: numbers only go up, within the row limit
                Assertions.assertThat(row.number()).isGreaterThan(last);
                last = row.number();
                try {
                    INTAKE.assemble(new ReferralIntake.Receipt(ReferralIds.newId(NOW), AGENCY, Channel.SFTP,
                            reader.mappingId(), NOW, "fuzz#row=" + row.number()), row.draft());
                } catch (InvalidReferralException refused) {
                    // the row's field errors, for its line in the results file
                    Assertions.assertThat(refused.errors()).isNotEmpty();
                }
            }
        } catch (UnreadableFileException unreadable) {
            // the file's reason, in the results file
        }
    }
}
