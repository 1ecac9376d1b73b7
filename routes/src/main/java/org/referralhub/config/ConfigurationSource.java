package org.referralhub.config;

/**
 * Where the running hub reads its configuration. Components ask for it each time they need it, so an
 * administrator's change reaches them without a restart (see the stored configuration's cache for the delay).
 */
@FunctionalInterface
public interface ConfigurationSource {

    HubConfiguration current();

    /** A configuration that never changes: tests, and the sandbox trying a proposed change. */
    static ConfigurationSource of(HubConfiguration fixed) {
        return () -> fixed;
    }
}
