package org.referralhub.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.referralhub.delivery.DirectorySecretStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local, in this JVM, on a port of one address (loopback unless the operator widens it), keeping its data in
 * a directory (or in memory when none is given).
 *
 * <p>DynamoDB Local has no option for the address it listens on: its Jetty server listens on every interface, so
 * anyone on the network could read and write the table. Its connector is told the address before it starts, through
 * the one private field that holds the Jetty server ({@link #bind}); {@code LocalServersIT} fails if a new DynamoDB
 * Local version moves it.
 */
public final class DynamoDbLocalServer implements AutoCloseable {

    /** Credentials of tools and tests that run DynamoDB Local of their own, in memory. */
    public static final AwsBasicCredentials SHARED = AwsBasicCredentials.create("local", "local");
    /** The local key store's name for an install's credentials. */
    static final String CREDENTIALS_NAME = "dynamodb-local-credentials";

    private final DynamoDBProxyServer server;
    private final int port;
    private final AwsBasicCredentials credentials;

    private DynamoDbLocalServer(DynamoDBProxyServer server, int port, AwsBasicCredentials credentials) {
        this.server = server;
        this.port = port;
        this.credentials = credentials;
    }

    /** On loopback, for clients with {@link #SHARED} credentials. */
    public static DynamoDbLocalServer start(int port, Path dataDirectory) {
        return start(LocalHub.LOOPBACK, port, dataDirectory, SHARED);
    }

    /**
     * The credentials of one install, made at its first start and kept in its key store (owner-only). DynamoDB Local
     * keeps a database per access key id: a client with another key — the well-known {@code local} among them — sees
     * an empty one, not this install's referrals. An install made before keeps its data: its {@code local_*.db} file
     * is renamed for the new key.
     */
    public static AwsBasicCredentials perInstall(DirectorySecretStore keys, Path dataDirectory) {
        if (!keys.has(CREDENTIALS_NAME)) {
            SecureRandom random = new SecureRandom();
            byte[] idBytes = new byte[9];
            random.nextBytes(idBytes);
            String id = "RH" + HexFormat.of().withUpperCase().formatHex(idBytes);
            byte[] secret = new byte[30];
            random.nextBytes(secret);
            String made = id + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            if (dataDirectory != null) {
                adopt(dataDirectory, id);
            }
            keys.put(CREDENTIALS_NAME, made.getBytes(StandardCharsets.US_ASCII));
        }
        return ofInstall(keys).orElseThrow();
    }

    /** The credentials an install made at its first start, if it has started. */
    public static Optional<AwsBasicCredentials> ofInstall(DirectorySecretStore keys) {
        if (!keys.has(CREDENTIALS_NAME)) {
            return Optional.empty();
        }
        String[] pair = new String(keys.get(CREDENTIALS_NAME), StandardCharsets.US_ASCII).strip().split(":", 2);
        return Optional.of(AwsBasicCredentials.create(pair[0], pair[1]));
    }

    /** The databases an install kept under the shared key pass to its own key. */
    private static void adopt(Path dataDirectory, String id) {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dataDirectory, SHARED.accessKeyId() + "_*.db")) {
            for (Path file : old) {
                String region = file.getFileName().toString().substring(SHARED.accessKeyId().length());
                Files.move(file, file.resolveSibling(id + region));
            }
        } catch (NoSuchFileException none) {
            // a new install
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the DynamoDB Local data to this install's key", e);
        }
    }

    public static DynamoDbLocalServer start(String address, int port, Path dataDirectory,
                                            AwsBasicCredentials credentials) {
        try {
            String[] args;
            if (dataDirectory == null) {
                args = new String[]{"-port", Integer.toString(port), "-inMemory", "-disableTelemetry"};
            } else {
                Files.createDirectories(dataDirectory);
                args = new String[]{"-port", Integer.toString(port), "-dbPath", dataDirectory.toString(), "-disableTelemetry"};
            }
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
            bind(server, address);
            server.start();
            return new DynamoDbLocalServer(server, port, credentials);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the DynamoDB Local data directory", e);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
        }
    }

    /** Sets the address of the server's connectors, before it starts. */
    private static void bind(DynamoDBProxyServer proxy, String address) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        Connector[] connectors = jetty.getConnectors();
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local's server has no connector to bind");
        }
        for (Connector connector : connectors) {
            ((ServerConnector) connector).setHost(address);
        }
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The credentials its clients sign with (they choose the database). */
    public AwsBasicCredentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }
}
