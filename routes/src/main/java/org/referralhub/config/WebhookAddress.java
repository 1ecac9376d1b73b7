package org.referralhub.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A webhook address an administrator types (a partner's intake, an agency's notices), read as data when the
 * configuration is saved: an absolute http(s) URI with a host, no credentials in it (they would sit in logs and
 * records) and no fragment (never sent). It is only ever sent to as an address, never resolved as an endpoint.
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
        return Optional.empty();
    }
}
