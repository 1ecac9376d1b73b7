package org.referralhub.functions;

import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;

/**
 * The hub of this Lambda container: built from the environment on first use, then shared by every handler and
 * every invocation the container serves. Under SnapStart the hub is built when the version is published, primed
 * before the snapshot ({@link SnapshotPriming}), and every container restored from it starts warm.
 */
final class FunctionRuntime {

    private FunctionRuntime() {
    }

    private static final class Holder {
        static final Hub HUB = Hub.start(HubSettings.fromEnvironment());
        // initialized with HUB (one class initialization); held here because CRaC holds its resources weakly
        static final SnapshotPriming PRIMING = SnapshotPriming.register(HUB);
    }

    static Hub hub() {
        return Holder.HUB;
    }
}
