package org.referralhub.functions;

import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;

/**
 * The hub of this Lambda container: built from the environment on first use, then shared by every handler and
 * every invocation the container serves.
 */
final class FunctionRuntime {

    private FunctionRuntime() {
    }

    private static final class Holder {
        static final Hub HUB = Hub.start(HubSettings.fromEnvironment());
    }

    static Hub hub() {
        return Holder.HUB;
    }
}
