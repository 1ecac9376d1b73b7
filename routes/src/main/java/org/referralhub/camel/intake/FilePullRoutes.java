package org.referralhub.camel.intake;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Service;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.Agency;
import org.referralhub.config.ConfigurationSource;
import org.referralhub.delivery.SecretStore;
import org.referralhub.files.FileDropStore;
import org.referralhub.files.FileImport;
import org.referralhub.store.DynamoDbIdempotentRepository;
import org.referralhub.store.IdempotencyRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file channel in pull mode, for agencies that keep files on their own SFTP server: on each schedule, a Camel
 * SFTP consumer fetches every new file (host key checked, the hub's key from the secret store, files younger than a
 * few seconds left for the next poll), remembers it in DynamoDB so it is never processed twice, imports it like a
 * dropped file, and puts the results file back on the agency's server. The agency's files are left in place.
 */
public final class FilePullRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(FilePullRoutes.class);
    private static final int MAX_FILES_PER_POLL = 50;

    private final ConfigurationSource configs;
    private final SecretStore secrets;
    private final Clock clock;
    private final FileImport files;
    private final FileDropStore drop;
    private final IdempotencyRecords records;

    public FilePullRoutes(ConfigurationSource configs, SecretStore secrets, Clock clock, FileImport files,
                          FileDropStore drop, IdempotencyRecords records) {
        this.configs = configs;
        this.secrets = secrets;
        this.clock = clock;
        this.files = files;
        this.drop = drop;
        this.records = records;
    }

    @Override
    public void configure() {
        from(Endpoints.FILE_PULL).routeId("file-pull")
                .process(this::pullAll);

        from(Endpoints.FILE_LEFTOVERS).routeId("file-leftovers")
                .process(e -> e.getMessage().setBody(files.takeLeftovers(MAX_FILES_PER_POLL)));
    }

    private void pullAll(Exchange exchange) {
        List<FileImport.Summary> summaries = new ArrayList<>();
        ConsumerTemplate consumer = exchange.getContext().createConsumerTemplate();
        ProducerTemplate producer = exchange.getContext().createProducerTemplate();
        try {
            for (Agency agency : configs.current().agencies()) {
                if (agency.pull() != null) {
                    summaries.addAll(pull(exchange, consumer, producer, agency));
                }
            }
        } finally {
            stopQuietly(consumer);
            stopQuietly(producer);
        }
        exchange.getMessage().setBody(summaries);
    }

    private List<FileImport.Summary> pull(Exchange exchange, ConsumerTemplate consumer, ProducerTemplate producer,
                                          Agency agency) {
        bindCredentials(exchange.getContext().getRegistry(), agency);
        Agency.FilePull pull = agency.pull();
        List<FileImport.Summary> summaries = new ArrayList<>();
        for (int i = 0; i < MAX_FILES_PER_POLL && !Thread.currentThread().isInterrupted(); i++) {
            Exchange received = consumer.receive(uri(agency, pull.directory(), true), 3000);
            if (received == null) {
                break;
            }
            String name = received.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
            String key = agency.id() + "/" + FileImport.INBOUND + "/" + name;
            try {
                drop.write(key, received.getMessage().getBody(byte[].class));
                FileImport.Summary summary = files.run(agency, key);
                summaries.add(summary);
                if (pull.resultsDirectory() != null && summary.resultsKey() != null) {
                    producer.sendBodyAndHeader(uri(agency, pull.resultsDirectory(), false),
                            drop.read(summary.resultsKey(), Long.MAX_VALUE), Exchange.FILE_NAME, name + ".results.csv");
                }
                LOG.info("pulled file {} from agency {}: {}", summary.receiptId(), agency.id(), summary.outcome());
            } catch (RuntimeException e) {
                received.setException(e);
                LOG.warn("pulled file of agency {} failed and will be fetched again: {}", agency.id(),
                        e.getClass().getSimpleName());
            } finally {
                consumer.doneUoW(received);
            }
        }
        return summaries;
    }

    /** Credentials and the idempotent repository go to the endpoints by reference, bound once. */
    private void bindCredentials(Registry registry, Agency agency) {
        if (registry.lookupByName("pullKey-" + agency.id()) == null) {
            registry.bind("pullKey-" + agency.id(), byte[].class, secrets.get(agency.pull().privateKeyRef()));
            registry.bind("pullKnownHosts-" + agency.id(), byte[].class,
                    agency.pull().knownHosts().getBytes(StandardCharsets.UTF_8));
            registry.bind("pullSeen-" + agency.id(), new DynamoDbIdempotentRepository(records,
                    "pull:" + agency.id(), Duration.ofMinutes(10), Duration.ofDays(400), clock));
        }
    }

    private String uri(Agency agency, String directory, boolean consume) {
        Agency.FilePull pull = agency.pull();
        var policy = configs.current().delivery();
        String dir = directory == null ? "" : directory.replaceAll("^/+|/+$", "");
        String base = "sftp://" + pull.host() + ":" + (pull.port() == null ? 22 : pull.port()) + "/" + dir
                + "?username=" + pull.username()
                + "&privateKey=#pullKey-" + agency.id()
                + "&knownHosts=#pullKnownHosts-" + agency.id()
                + "&strictHostKeyChecking=yes&useUserKnownHostsFile=false&binary=true&disconnect=true"
                + "&connectTimeout=" + policy.connectTimeoutSeconds() * 1000
                + "&timeout=" + policy.responseTimeoutSeconds() * 1000;
        if (!consume) {
            return base + "&tempPrefix=.uploading-&fileExist=Override&autoCreate=false";
        }
        return base + "&noop=true&idempotent=true&idempotentRepository=#pullSeen-" + agency.id()
                + "&idempotentKey=${file:name}-${file:size}-${file:modified}"
                + "&antExclude=.*,*.part,*.tmp,*.filepart&readLock=changed&readLockMinAge=3000"
                + "&readLockCheckInterval=500&readLockTimeout=20000";
    }

    private static void stopQuietly(Service service) {
        try {
            service.stop();
        } catch (RuntimeException e) {
            LOG.debug("template did not stop cleanly");
        }
    }
}
