package org.referralhub.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;

/**
 * An agency's SFTP client for the integration tests: a real SSH client that checks the server's host key against
 * the one the local hub keeps, logs in with a password or a key, and uploads.
 */
final class SftpAgency implements AutoCloseable {

    private final SshClient client;
    private final ClientSession session;
    private final SftpClient sftp;

    private SftpAgency(SshClient client, ClientSession session) throws IOException {
        this.client = client;
        this.session = session;
        this.sftp = SftpClientFactory.instance().createSftpClient(session);
    }

    static SftpAgency withPassword(LocalHub hub, String user, String password) throws IOException {
        return withPassword(hub.dataDirectory(), hub.sftpPort(), user, password);
    }

    /** A local hub running elsewhere (another process): its data directory holds the host key. */
    static SftpAgency withPassword(Path dataDirectory, int port, String user, String password) throws IOException {
        SshClient client = client(dataDirectory);
        ClientSession session = client.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(10)).getSession();
        session.addPasswordIdentity(password);
        try {
            session.auth().verify(Duration.ofSeconds(10));
        } catch (IOException e) {
            session.close();
            client.stop();
            throw e;
        }
        return new SftpAgency(client, session);
    }

    static SftpAgency withKey(LocalHub hub, String user, KeyPair key) throws IOException {
        SshClient client = client(hub.dataDirectory());
        ClientSession session = client.connect(user, "127.0.0.1", hub.sftpPort()).verify(Duration.ofSeconds(10)).getSession();
        session.addPublicKeyIdentity(key);
        session.auth().verify(Duration.ofSeconds(10));
        return new SftpAgency(client, session);
    }

    private static SshClient client(Path dataDirectory) {
        SshClient client = SshClient.setUpDefaultClient();
        List<KeyPair> hostKeys = new SimpleGeneratorHostKeyProvider(dataDirectory.resolve("ssh_host_key"))
                .loadKeys(null);
        PublicKey expected = hostKeys.get(0).getPublic();
        client.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(expected, key));
        client.start();
        return client;
    }

    /** Writes a file whole under the given path (relative to the user's home). */
    void upload(String path, byte[] content) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(content);
        }
    }

    /** A write left open, as by a client still uploading. */
    OutputStream openForWrite(String path) throws IOException {
        return sftp.write(path);
    }

    /** The network goes away: the session ends without the client closing anything. */
    void dropConnection() throws IOException {
        session.close(true);
        client.stop();
    }

    void rename(String from, String to) throws IOException {
        sftp.rename(from, to);
    }

    byte[] download(String path) throws IOException {
        try (var in = sftp.read(path)) {
            return in.readAllBytes();
        }
    }

    /**
     * The visible names in a directory. A listing can meet a file that is gone by the time the server looks at it (the
     * hub writes results under a temporary name, then renames): such a listing is read again, as a client would.
     */
    List<String> list(String directory) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                List<String> names = new ArrayList<>();
                for (SftpClient.DirEntry entry : sftp.readDir(directory)) {
                    if (!entry.getFilename().startsWith(".")) {
                        names.add(entry.getFilename());
                    }
                }
                return names;
            } catch (UncheckedIOException | SftpException raced) {
                if (attempt == 5) {
                    throw raced;
                }
            }
        }
    }

    static String openSshPublicKey(KeyPair key) throws IOException {
        return PublicKeyEntry.toString(key.getPublic());
    }

    static Path home(LocalHub hub, String user) {
        return hub.sftpHome(user);
    }

    /** The results file the hub writes for {@code fileName} in the agency's {@code results/} folder, once it is there. */
    static String awaitResults(LocalHub hub, String user, String fileName) throws IOException, InterruptedException {
        Path file = home(hub, user).resolve("results").resolve(fileName + ".results.csv");
        Instant deadline = Instant.now().plusSeconds(30);
        while (!Files.exists(file)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no results file for " + fileName);
            }
            Thread.sleep(100);
        }
        Thread.sleep(200);   // as the tests before it did: a moment for the hub to finish writing it
        return Files.readString(file);
    }

    @Override
    public void close() throws IOException {
        sftp.close();
        session.close();
        client.stop();
    }
}
