package org.referralhub.camel;

import org.apache.camel.builder.RouteBuilder;
import org.referralhub.files.FileImport;

/**
 * The file channel, inbound: a file completed in an agency's {@code inbound/} folder (S3 event behind Transfer
 * Family in AWS, the local SFTP server's upload-complete event locally) is imported. Body: the file's drop key;
 * answer: {@link FileImport.Summary}. A failure propagates, so the trigger retries; the content-hash claim keeps a
 * retry from storing rows twice.
 */
public final class FileIntakeRoutes extends RouteBuilder {

    private final FileImport files;

    public FileIntakeRoutes(FileImport files) {
        this.files = files;
    }

    @Override
    public void configure() {
        from(Endpoints.FILE_INTAKE).routeId("file-intake")
                .process(e -> e.getMessage().setBody(files.run(e.getMessage().getMandatoryBody(String.class))));
    }
}
