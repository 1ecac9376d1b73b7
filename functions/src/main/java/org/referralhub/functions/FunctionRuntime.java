package org.referralhub.functions;

import java.util.Set;
import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;
import org.referralhub.hub.Wing;

/**
 * The hub of this Lambda container: built from the environment on first use, with the wings of the function the
 * container runs (a container runs one function), then shared by every invocation it serves. Under SnapStart the hub
 * is built when the version is published, primed before the snapshot ({@link SnapshotPriming}), and every container
 * restored from it starts warm.
 */
final class FunctionRuntime {

    private static Hub hub;
    // held here because CRaC holds its resources weakly
    private static SnapshotPriming priming;

    private FunctionRuntime() {
    }

    static synchronized Hub hub(Set<Wing> wings) {
        if (hub == null) {
            hub = Hub.start(HubSettings.fromEnvironment(), wings);
            priming = SnapshotPriming.register(hub);
        }
        return hub;
    }
}
