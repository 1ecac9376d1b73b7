package org.referralhub.files;

import org.referralhub.config.Agency;
import org.referralhub.intake.ChannelReader;
import org.referralhub.intake.ReferralIntake;

/**
 * An agency file's reading (CSV, XLSX, JSON; the agency's file mapping bound to the header row), row by row: one
 * draft per row, labelled with its row number. A file that cannot be read is one problem.
 */
public final class FileRowsReader implements ChannelReader {

    private final ReferralIntake intake;
    private final FileLimits limits;
    private final boolean attachment;

    /** @param attachment whether the file is attached to a message: its rows and problems then name it */
    private FileRowsReader(ReferralIntake intake, FileLimits limits, boolean attachment) {
        this.intake = intake;
        this.limits = limits;
        this.attachment = attachment;
    }

    public FileRowsReader(ReferralIntake intake, FileLimits limits) {
        this(intake, limits, false);
    }

    @Override
    public void read(Agency agency, String name, byte[] bytes, Found found) {
        try (AgencyFileReader reader = AgencyFileReader.open(intake, agency, name == null ? "sample.csv" : name, bytes,
                limits)) {
            while (reader.hasNext()) {
                AgencyFileReader.Row row = reader.next();
                found.draft(attachment
                        ? new Labelled("row " + row.number() + " of " + name, "attachment=" + name + "&row=" + row.number(),
                                row.draft())
                        : new Labelled("row " + row.number(), "row=" + row.number(), row.draft()));
            }
        } catch (UnreadableFileException e) {
            found.problem((attachment ? name + ": " : "") + e.getMessage());
        }
    }

    /** The same reading for a file attached to something else: rows say which file they are of. */
    public static FileRowsReader attached(ReferralIntake intake, FileLimits limits) {
        return new FileRowsReader(intake, limits, true);
    }
}
