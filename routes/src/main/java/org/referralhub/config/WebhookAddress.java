package org.referralhub.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A webhook address an administrator types (a partner's intake, an agency's notices), read as data when the
 * configuration is saved: an absolute https URI (http only to this machine: the local demo) with a host, no
 * credentials in it (they would sit in logs and records) and no fragment (never sent). Where the hub may not call
 * (its own network, in AWS) is {@link OutboundAddresses}'. It is only ever sent to as an address, never resolved as an endpoint.
 */
public final class WebhookAddress {

    private WebhookAddress() {
    }

    /** What is wrong with the address, or empty when it is one the hub can post to. */
    public static Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("no URL");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("a URL that does not parse (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("a URL that is not http(s)");
        }
        if (uri.getHost() == null) {
            return Optional.of("a URL without a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("a URL with credentials in it (the signing secret is the credential)");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("a URL with a fragment (#…), which is never sent");
        }
        if (scheme.equals("http") && !onThisMachine(uri.getHost())) {
            return Optional.of("a plain http URL to another machine (use https; http only reaches this machine, "
                    + "as the local demo's stand-in partners do)");
        }
        return Optional.empty();
    }

    /** A loopback host, by name or literal: {@code localhost}, {@code 127.0.0.1}, {@code [::1]}. */
    static boolean onThisMachine(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.matches("127(\\.\\d{1,3}){3}")
                || h.equals("[::1]");
    }
}
