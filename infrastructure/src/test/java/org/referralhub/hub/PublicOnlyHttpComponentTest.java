package org.referralhub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Where only public addresses may be called (AWS), the check is made where the connection is: the HTTP client's own
 * resolver refuses a name in the hub's network, so a name cannot point elsewhere between the check and the call. A
 * real HTTP server on loopback, called through a real Camel http component, receives nothing.
 */
class PublicOnlyHttpComponentTest {

    @Test
    void theResolverRefusesTheHubsOwnNetworkAndPassesPublicAddresses() throws Exception {
        assertThatThrownBy(() -> PublicOnlyHttpComponent.RESOLVER.resolve("localhost"))
                .isInstanceOf(UnknownHostException.class).hasMessageContaining("own network");
        assertThatThrownBy(() -> PublicOnlyHttpComponent.RESOLVER.resolve("169.254.169.254"))
                .isInstanceOf(UnknownHostException.class);
        assertThat(PublicOnlyHttpComponent.RESOLVER.resolve("93.184.216.34"))
                .containsExactly(InetAddress.getByName("93.184.216.34"));
    }

    @Test
    void aCallThroughTheComponentToLoopbackNeverConnects() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("http", new PublicOnlyHttpComponent());
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            String url = "http://localhost:" + server.getAddress().getPort() + "/hook";
            assertThatThrownBy(() -> producer.requestBody(url, "{}", String.class))
                    .hasRootCauseInstanceOf(UnknownHostException.class);
            assertThat(received.get()).isZero();
            // the same call through Camel's own component connects: the refusal is the resolver's
            camel.addComponent("plain", new org.apache.camel.component.http.HttpComponent());
            producer.requestBody("plain://localhost:" + server.getAddress().getPort() + "/hook", "{}", String.class);
            assertThat(received.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }
}
