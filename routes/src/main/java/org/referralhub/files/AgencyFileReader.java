package org.referralhub.files;

import java.io.ByteArrayInputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import com.fasterxml.jackson.databind.JsonNode;
import org.referralhub.config.Agency;
import org.referralhub.intake.ReferralDraft;
import org.referralhub.intake.ReferralIntake;

/**
 * An agency's file read as referral drafts: the file's rows through the agency's file mapping, bound once to the
 * header row. Shared by the SFTP channel, e-mail attachments and the sandbox, so all read a file the same way.
 */
public final class AgencyFileReader implements Iterator<AgencyFileReader.Row>, AutoCloseable {

    /** One row: its number as the agency sees it, and the canonical fields read from it. */
    public record Row(int number, ReferralDraft draft) {
    }

    private final ReferralFileReader reader;
    private final String mappingId;
    private final Function<JsonNode, ReferralDraft> mapper;

    private AgencyFileReader(ReferralFileReader reader, String mappingId, Function<JsonNode, ReferralDraft> mapper) {
        this.reader = reader;
        this.mappingId = mappingId;
        this.mapper = mapper;
    }

    /** The mapping the file is read with: the agency's for the file's format. */
    public String mappingId() {
        return mappingId;
    }

    /** @throws UnreadableFileException when the file cannot be opened as any format */
    public static AgencyFileReader open(ReferralIntake intake, Agency agency, String fileName, byte[] content,
                                        FileLimits limits) {
        ReferralFileReader reader = ReferralFileReader.open(fileName, new ByteArrayInputStream(content),
                agency.fileSheet(), limits);
        try {
            String mapping = agency.fileMappingFor(reader.format());
            return new AgencyFileReader(reader, mapping, intake.mapperFor(mapping, reader.headers(), agency.dateOrder()));
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public String format() {
        return reader.format();
    }

    /** @throws UnreadableFileException when the file stops being readable */
    @Override
    public boolean hasNext() {
        return reader.hasNext();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        FileRow row = reader.next();
        ReferralDraft draft = mapper.apply(row.fields());
        return new Row(row.number(), row.refused().isEmpty() ? draft : draft.withErrors(row.refused()));
    }

    @Override
    public void close() {
        reader.close();
    }
}
