package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow clients do not take the API down: 500 connections from one address that send their headers a few bytes at a
 * time, and 30 from another that never finish a chunked body, leave a normal request from a third answered — and
 * the first address holds no more than its share of connections (the JDK's server, before, gave each connection one
 * of 16 workers while it read, so sixteen slow clients stopped every door, /health included).
 */
class SlowClientsIT {

    private static final Logger LOG = LoggerFactory.getLogger(SlowClientsIT.class);

    @TempDir
    Path data;

    @Test
    void fiveHundredSlowClientsLeaveANormalRequestAnswered() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            int port = URI.create(hub.baseUrl()).getPort();
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    slow.add(open("127.0.0.2", port, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
                }
                for (int i = 0; i < 30; i++) {
                    slow.add(open("127.0.0.3", port, "POST /v1/referrals HTTP/1.1\r\nHost: localhost\r\n"
                            + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n10\r\n{\"client\":"));
                }
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                long start = System.nanoTime();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(health.statusCode()).isEqualTo(200);
                int closed = closedByTheHub(slow.subList(0, 500));
                LOG.info("530 slow clients: a normal GET /health answered in {} ms; {} of the 500 connections from one "
                        + "address closed by the gateway", took.toMillis(), closed);
                assertThat(took).as("answered while 530 clients dawdle").isLessThan(Duration.ofSeconds(5));
                assertThat(closed).as("one address holds at most its share").isGreaterThanOrEqualTo(500 - 100 - 10);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    /**
     * An address's share counts the connections it holds open, not every one it ever opened: 300 requests one after
     * another from one address, each on a connection of its own that closes after its answer, are all answered (the
     * count once lost a connection's close and, after a hundred, refused that address for good).
     */
    @Test
    void connectionsThatComeAndGoNeverUseUpAnAddressesShare() throws Exception {
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("referrals-" + UUID.randomUUID()))) {
            int port = URI.create(hub.baseUrl()).getPort();
            int answered = 0;
            for (int i = 0; i < 300; i++) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    socket.setSoTimeout(5000);
                    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] head = socket.getInputStream().readNBytes(12);
                    if (new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                        answered++;
                    }
                } catch (IOException refused) {
                    // counted as not answered
                }
            }
            assertThat(answered).isEqualTo(300);
        }
    }

    /** A connection from {@code from} that has sent the start of a request and nothing more. */
    private static Socket open(String from, int port, String start) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        try {
            OutputStream out = socket.getOutputStream();
            out.write(start.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closedAlready) {
            // the gateway may close it at once: that is what the per-address limit does
        }
        return socket;
    }

    /** How many of these connections the gateway has closed (they read the end of the stream, or a reset). */
    private static int closedByTheHub(List<Socket> sockets) throws IOException {
        int closed = 0;
        for (Socket socket : sockets) {
            socket.setSoTimeout(20);
            try {
                if (socket.getInputStream().read() == -1) {
                    closed++;
                }
            } catch (SocketTimeoutException stillOpen) {
                // waiting for the rest of its headers, as it should
            } catch (IOException reset) {
                closed++;
            }
        }
        return closed;
    }
}
