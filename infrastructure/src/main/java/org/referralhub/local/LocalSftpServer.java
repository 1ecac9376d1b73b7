package org.referralhub.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.referralhub.config.Agency;
import org.referralhub.config.HubConfiguration;
import org.referralhub.files.FileImport;
import org.referralhub.files.SftpLogin;
import org.referralhub.functions.FileIntakeFunction;
import org.referralhub.store.FailedAttempts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for Transfer Family: an SFTP server (Apache MINA SSHD) with one account per agency that has
 * one, password or public-key login, each user confined to its own home ({@code inbound/}, {@code results/},
 * {@code archive/}, {@code error/}). When a client finishes writing a file in {@code inbound/} (closes it, or
 * renames a temporary name to its final one), the server sends the same S3 event AWS would to the same
 * {@link FileIntakeFunction}. The host key is kept in the data directory so clients' known_hosts stay valid.
 */
final class LocalSftpServer implements AutoCloseable {

    static final String BUCKET = "local-file-drop";
    private static final Logger LOG = LoggerFactory.getLogger(LocalSftpServer.class);

    private final SshServer server;
    private final List<String> completedRenames = new CopyOnWriteArrayList<>();
    private final ExecutorService intake = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "local-file-intake");
        t.setDaemon(true);
        return t;
    });

    /** An account standing in for a partner's own SFTP server: the hub logs in with its key and drops files. */
    record PartnerAccount(String username, Path home, PublicKey hubKey) {
    }

    LocalSftpServer(String bindAddress, int port, Path root, Path hostKey, Supplier<HubConfiguration> config, FileIntakeFunction handler,
                    List<PartnerAccount> partners, FailedAttempts attempts) throws IOException {
        server = SshServer.setUpDefaultServer();
        server.setHost(bindAddress);
        server.setPort(port);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        // as the Transfer Family identity provider decides: a source that failed too often is refused for a while
        server.setPasswordAuthenticator((user, password, session) -> {
            String source = session.getClientAddress() instanceof InetSocketAddress address
                    ? address.getAddress().getHostAddress() : null;
            if (attempts.blockedUntil(SftpLogin.DOOR, source).isPresent()) {
                return false;
            }
            boolean good = SftpLogin.withPassword(config.get(), user, password).isPresent();
            if (!good) {
                attempts.failed(SftpLogin.DOOR, source);
            }
            return good;
        });
        server.setPublickeyAuthenticator((user, key, session) -> SftpLogin.account(config.get(), user)
                .map(a -> a.publicKeys().stream().anyMatch(k -> sameKey(k, key)))
                .orElseGet(() -> partners.stream().anyMatch(p -> p.username().equals(user)
                        && KeyUtils.compareKeys(p.hubKey(), key))));
        // an agency's home is found when it logs in, so an agency added by an administrator has one at once
        VirtualFileSystemFactory homes = new VirtualFileSystemFactory() {
            @Override
            public Path getUserHomeDir(SessionContext session) throws IOException {
                Path fixed = super.getUserHomeDir(session.getUsername());
                if (fixed != null) {
                    return fixed;
                }
                SftpLogin.Account account = SftpLogin.account(config.get(), session.getUsername())
                        .orElseThrow(() -> new IOException("no home"));
                Path home = root.resolve(session.getUsername());
                for (String folder : account.folders()) {
                    Files.createDirectories(home.resolve(folder));
                }
                return home;
            }
        };
        for (Agency agency : config.get().agencies()) {
            if (agency.sftp() != null) {
                Path home = root.resolve(agency.sftp().username());
                for (String folder : SftpLogin.FOLDERS) {
                    Files.createDirectories(home.resolve(folder));
                }
            }
        }
        for (PartnerAccount partner : partners) {
            Files.createDirectories(partner.home());
            homes.setUserHomeDir(partner.username(), partner.home());
        }
        server.setFileSystemFactory(homes);
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        sftp.addSftpEventListener(new UploadComplete(handler));
        server.setSubsystemFactories(List.of(sftp));
    }

    private static boolean sameKey(String authorized, PublicKey presented) {
        try {
            PublicKey key = AuthorizedKeyEntry.parseAuthorizedKeyEntry(authorized)
                    .resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
            return KeyUtils.compareKeys(key, presented);
        } catch (Exception e) {
            return false;
        }
    }

    LocalSftpServer start() throws IOException {
        server.start();
        return this;
    }

    int port() {
        return server.getPort();
    }

    /** Uploads to drop on purpose, by user: fault injection for the partner-side SFTP delivery. */
    private final Map<String, AtomicInteger> dropping =
            new ConcurrentHashMap<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final Map<ServerSession, Set<Path>> writing = new ConcurrentHashMap<>();
    private final Set<ServerSession> endingSessions =
            Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

    /** The server cuts the connection in the middle of the next {@code count} uploads of {@code user}. */
    void dropNextUploads(String user, int count) {
        dropping.put(user, new AtomicInteger(count));
    }

    /** How many uploads the server cut on purpose. */
    int droppedUploads() {
        return dropped.get();
    }

    /** Renames clients made, as {@code user:from->to}: how a test sees an upload land atomically. */
    List<String> renames() {
        return List.copyOf(completedRenames);
    }

    /** Turns "a file is complete in inbound/" into the S3 event Transfer Family's bucket would send. */
    private final class UploadComplete implements SftpEventListener {
        private final FileIntakeFunction handler;

        UploadComplete(FileIntakeFunction handler) {
            this.handler = handler;
        }

        @Override
        public void written(ServerSession session, String remoteHandle, FileHandle local, long offset, byte[] data,
                            int dataOffset, int dataLen, Throwable thrown) throws IOException {
            var remaining = dropping.get(session.getUsername());
            // after the first chunk landed: the file exists, half-written, and the client never gets to finish it
            if (thrown == null && remaining != null && remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                dropped.incrementAndGet();
                LOG.info("dropping the connection of user {} mid-upload (fault injection)", session.getUsername());
                session.close(true);
                throw new IOException("connection dropped mid-upload");
            }
        }

        @Override
        public void open(ServerSession session, String remoteHandle, Handle local) {
            if (local instanceof FileHandle file && file.getOpenOptions().contains(StandardOpenOption.WRITE)) {
                writing.computeIfAbsent(session, k -> ConcurrentHashMap.newKeySet()).add(file.getFile());
            }
        }

        @Override
        public void destroying(ServerSession session) {
            endingSessions.add(session);
            // files the client was still writing when its connection went away
            Set<Path> open = writing.remove(session);
            if (open != null) {
                open.forEach(path -> setAside(session.getUsername(), path));
            }
        }

        @Override
        public void closed(ServerSession session, String remoteHandle, Handle local, Throwable thrown) {
            if (thrown == null && local instanceof FileHandle file
                    && file.getOpenOptions().contains(StandardOpenOption.WRITE)) {
                Set<Path> open = writing.get(session);
                if (open != null) {
                    open.remove(file.getFile());
                }
                if (session.isClosing() || session.isClosed() || endingSessions.contains(session)) {
                    // the connection went away while the file was open: half a file, never taken as a whole one
                    setAside(session.getUsername(), file.getFile());
                    return;
                }
                completed(session.getUsername(), file.getFile());
            }
        }

        private void setAside(String user, Path path) {
            String inHome = path.toAbsolutePath().toString();
            if (!inHome.startsWith("/" + FileImport.INBOUND + "/")) {
                return;
            }
            try {
                if (!Files.exists(path)) {
                    return;
                }
                Path error = path.getParent().resolveSibling("error");
                Files.createDirectories(error);
                Files.move(path, error.resolve(path.getFileName() + ".partial-upload"),
                        StandardCopyOption.REPLACE_EXISTING);
                Path results = path.getParent().resolveSibling("results");
                Files.createDirectories(results);
                Files.writeString(results.resolve(path.getFileName() + ".results.csv"),
                        "row,outcome,referralId,status,reasons\r\n,unreadable,,,\"the connection ended before the upload "
                                + "was complete; nothing was read (the partial file is in error/). Upload the file again.\"\r\n");
                LOG.warn("an upload of user {} ended with the connection; the partial file was set aside in error/", user);
            } catch (IOException e) {
                LOG.warn("a partial upload of user {} could not be set aside: {}", user, e.getClass().getSimpleName());
            }
        }

        @Override
        public void moved(ServerSession session, Path source, Path target, Collection<CopyOption> options,
                          Throwable thrown) {
            if (thrown == null) {
                completedRenames.add(session.getUsername() + ":" + source.getFileName() + "->" + target.getFileName());
                completed(session.getUsername(), target);
            }
        }

        private void completed(String user, Path path) {
            String inHome = path.toAbsolutePath().toString();
            if (!inHome.startsWith("/" + FileImport.INBOUND + "/") && !inHome.startsWith("/status/")) {
                return;
            }
            String key = user + inHome;
            FileImport.DropKey drop = FileImport.DropKey.parse(key).orElse(null);
            if (drop == null || drop.isTemporary()) {
                return;
            }
            intake.submit(() -> {
                try {
                    handler.handleRequest(event(key, path), new LocalLambdaContext("file-intake"));
                } catch (RuntimeException e) {
                    LOG.error("file intake failed for a file of user {}: {}", user, e.getClass().getName());
                }
            });
        }
    }

    private static ScheduledEvent event(String key, Path path) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            size = 0;
        }
        return ObjectCreatedEvent.viaEventBridge(BUCKET, key, size);
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("SFTP server did not stop cleanly");
        }
        intake.shutdown();
        try {
            intake.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
