package org.referralhub.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the hub may send a webhook (partner deliveries, agency notices, reminders, erasure requests). The local hub
 * sends {@link #ANYWHERE} — its stand-in partners live on loopback. In AWS ({@code OUTBOUND_ADDRESSES=public}) only
 * to {@link #PUBLIC} addresses: never loopback, private (RFC 1918, unique-local), carrier-grade NAT, link-local — where
 * the instance metadata service answers — or unspecified ones, so an address an administrator types cannot make the
 * hub call into its own network. Checked when the configuration is saved, and again on the addresses the host
 * resolves to at each delivery (a name may point elsewhere since).
 */
public enum OutboundAddresses {
    ANYWHERE, PUBLIC;

    /** Thrown when a webhook's address is not one the hub may call; the message names why, without the address. */
    public static final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The policy a setting names ({@code public}; anything else, or nothing: anywhere). */
    public static OutboundAddresses of(String setting) {
        return "public".equalsIgnoreCase(setting == null ? "" : setting.strip()) ? PUBLIC : ANYWHERE;
    }

    /** Why the hub may not call this address now (its host resolved), or empty when it may. */
    public Optional<String> problem(String url) {
        if (this == ANYWHERE || url == null) {
            return Optional.empty();
        }
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return Optional.of("a URL that does not parse");
        }
        if (host == null) {
            return Optional.of("a URL without a host");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.toLowerCase(Locale.ROOT).equals("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return Optional.of("an address on the hub's own machine");
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(bare)) {
                if (!publicAddress(address)) {
                    return Optional.of("an address in a private, loopback or link-local network (the hub's own "
                            + "network, or the instance metadata service)");
                }
            }
        } catch (UnknownHostException e) {
            return Optional.of("a host name that does not resolve");
        }
        return Optional.empty();
    }

    /** Throws {@link Refused} unless the hub may call this address now. */
    public void check(String url) {
        problem(url).ifPresent(reason -> {
            throw new Refused("the webhook's address is " + reason);
        });
    }

    /** Every webhook address of a configuration this policy refuses, named by whose it is. */
    public List<String> problems(HubConfiguration config) {
        List<String> problems = new ArrayList<>();
        for (Partner partner : config.partners()) {
            if (partner.intake() instanceof PartnerChannel.Webhook webhook) {
                problem(webhook.url()).ifPresent(p -> problems.add("partner '" + partner.id() + "' has a webhook URL "
                        + "the hub may not call: " + p));
            }
        }
        for (Agency agency : config.agencies()) {
            Agency.Notify notify = agency.notifications();
            if (notify != null && notify.webhook() != null) {
                problem(notify.webhook().url()).ifPresent(p -> problems.add("agency '" + agency.id()
                        + "' has a notice webhook URL the hub may not call: " + p));
            }
        }
        return problems;
    }

    /** Whether the hub may connect to this address. */
    public boolean allows(InetAddress address) {
        return this == ANYWHERE || publicAddress(address);
    }

    private static boolean publicAddress(InetAddress address) {
        byte[] b = address.getAddress();
        boolean carrierNat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;   // 100.64.0.0/10
        boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;                        // fc00::/7
        return !(address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || carrierNat || uniqueLocal);
    }
}
