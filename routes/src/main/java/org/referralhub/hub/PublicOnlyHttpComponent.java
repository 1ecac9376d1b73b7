package org.referralhub.hub;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.referralhub.config.OutboundAddresses;

/**
 * The HTTP component of a hub that may call public addresses only ({@link OutboundAddresses#PUBLIC}, AWS): its
 * connections resolve host names through {@link #RESOLVER}, which refuses a name that resolves into the hub's own
 * network. The address is thus checked where the connection is made — a name that pointed to a public address when
 * the configuration was saved, or a moment before the call, cannot be switched to the metadata service in between.
 */
final class PublicOnlyHttpComponent extends HttpComponent {

    /** The system's resolver, refusing any name with a loopback, private, link-local or other internal address. */
    static final DnsResolver RESOLVER = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
            for (InetAddress address : addresses) {
                if (!OutboundAddresses.PUBLIC.allows(address)) {
                    throw new UnknownHostException("the webhook's host resolves to an address in the hub's own network");
                }
            }
            return addresses;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    };

    /** As Camel's own pool (the same registry, limits, time to live and socket settings), resolving through ours. */
    @Override
    protected HttpClientConnectionManager createConnectionManager(Registry<ConnectionSocketFactory> registry,
                                                                  int maxTotalConnections, int connectionsPerRoute,
                                                                  SocketConfig socketConfig) {
        PoolingHttpClientConnectionManager manager = new PoolingHttpClientConnectionManager(registry,
                PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO, TimeValue.ofMilliseconds(getConnectionTimeToLive()),
                null, RESOLVER, null);
        manager.setMaxTotal(maxTotalConnections > 0 ? maxTotalConnections : getMaxTotalConnections());
        manager.setDefaultMaxPerRoute(connectionsPerRoute > 0 ? connectionsPerRoute : getConnectionsPerRoute());
        if (socketConfig != null) {
            manager.setDefaultSocketConfig(socketConfig);
        }
        return manager;
    }
}
