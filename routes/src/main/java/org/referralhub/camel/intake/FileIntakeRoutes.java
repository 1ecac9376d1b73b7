package org.referralhub.camel.intake;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.builder.RouteBuilder;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.config.Partner;
import org.referralhub.files.FileImport;
import org.referralhub.files.SftpLogin;
import org.referralhub.outcome.PartnerStatusFiles;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.store.FailedAttempts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file channel, inbound: a file completed in an agency's {@code inbound/} folder (S3 event behind Transfer
 * Family in AWS, the local SFTP server's upload-complete event locally) is imported. Body: the file's drop key;
 * answer: {@link FileImport.Summary}. A failure propagates, so the trigger retries; the content-hash claim keeps a
 * retry from storing rows twice. And who may log in: Transfer Family asks {@code sftp-login} (its custom identity
 * provider), which answers from the configuration in force.
 */
public final class FileIntakeRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(FileIntakeRoutes.class);

    private final FileImport files;
    private final PartnerStatusFiles statusFiles;
    private final ConfigurationSource configs;
    private final FailedAttempts attempts;
    private final String sftpRole;
    private final String fileDropBucket;

    /**
     * @param sftpRole       the IAM role Transfer Family sessions assume (null: logins are refused)
     * @param fileDropBucket the bucket holding agencies' homes
     */
    public FileIntakeRoutes(FileImport files, PartnerStatusFiles statusFiles, ConfigurationSource configs,
                            FailedAttempts attempts, String sftpRole, String fileDropBucket) {
        this.files = files;
        this.statusFiles = statusFiles;
        this.configs = configs;
        this.attempts = attempts;
        this.sftpRole = sftpRole;
        this.fileDropBucket = fileDropBucket;
    }

    @Override
    public void configure() {
        from(Endpoints.FILE_INTAKE).routeId("file-intake")
                .process(e -> e.getMessage().setBody(intake(e.getMessage().getMandatoryBody(String.class))));

        from(Endpoints.SFTP_LOGIN).routeId("sftp-login")
                .process(e -> e.getMessage().setBody(login(e.getMessage().getMandatoryBody(SftpLogin.Attempt.class))));
    }

    /** An agency's referrals, or a partner's status file: the drop key's user says whose. */
    private FileImport.Summary intake(String key) {
        Optional<FileImport.DropKey> drop = FileImport.DropKey.parse(key);
        if (drop.isPresent() && "status".equals(drop.get().folder())) {
            Optional<Partner> partner = configs.current().partnerBySftpUser(drop.get().user());
            if (partner.isPresent()) {
                return statusFiles.run(partner.get(), key);
            }
        }
        return files.run(key);
    }

    /** Transfer Family's answer: the role and logical home of the agency, its keys for a key login; empty: refused. */
    private Map<String, Object> login(SftpLogin.Attempt attempt) {
        if (sftpRole == null || fileDropBucket == null) {
            LOG.warn("SFTP login refused: SFTP_USER_ROLE_ARN or FILE_DROP_BUCKET is not set");
            return Map.of();
        }
        if (attempts.blockedUntil(SftpLogin.DOOR, attempt.sourceIp()).isPresent()) {
            LOG.warn("SFTP login refused: {} failed too often lately", attempt.sourceIp());
            return Map.of();
        }
        Optional<SftpLogin.Account> account = SftpLogin.decide(configs.current(), attempt);
        if (account.isEmpty()) {
            LOG.warn("SFTP login refused for user {} from {}", attempt.username(), attempt.sourceIp());
            // a password attempt counts; a key login offers keys one by one, so a refused key is not a failure yet
            if (attempt.password() != null && !attempt.password().isEmpty()) {
                attempts.failed(SftpLogin.DOOR, attempt.sourceIp());
            }
            return Map.of();
        }
        Map<String, Object> grant = new LinkedHashMap<>();
        grant.put("Role", sftpRole);
        grant.put("HomeDirectoryType", "LOGICAL");
        Map<String, String> home = new LinkedHashMap<>();
        home.put("Entry", "/");
        home.put("Target", "/" + fileDropBucket + "/" + account.get().username());
        grant.put("HomeDirectoryDetails", CanonicalJson.write(List.of(home)));
        if (attempt.password() == null || attempt.password().isEmpty()) {
            grant.put("PublicKeys", account.get().publicKeys());
        }
        LOG.info("SFTP login of {} ({})", account.get().ownerId(),
                grant.containsKey("PublicKeys") ? "key" : "password");
        return grant;
    }
}
