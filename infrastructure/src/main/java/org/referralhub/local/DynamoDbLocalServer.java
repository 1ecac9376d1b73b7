package org.referralhub.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/** DynamoDB Local, in this JVM, on a port, keeping its data in a directory (or in memory when none is given). */
public final class DynamoDbLocalServer implements AutoCloseable {

    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocalServer(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static DynamoDbLocalServer start(int port, Path dataDirectory) {
        try {
            String[] args;
            if (dataDirectory == null) {
                args = new String[]{"-port", Integer.toString(port), "-inMemory", "-disableTelemetry"};
            } else {
                Files.createDirectories(dataDirectory);
                args = new String[]{"-port", Integer.toString(port), "-dbPath", dataDirectory.toString(), "-disableTelemetry"};
            }
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
            server.start();
            return new DynamoDbLocalServer(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the DynamoDB Local data directory", e);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
        }
    }

    public String endpoint() {
        return "http://localhost:" + port;
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
