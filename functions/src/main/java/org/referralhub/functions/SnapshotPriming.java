package org.referralhub.functions;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.referralhub.hub.Hub;
import org.referralhub.store.StoredConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's runtime hooks: before Lambda snapshots the initialized function, the hub runs what a first request
 * runs ({@link Hub#prime()}) so the snapshot holds loaded classes and warm clients; after a restore, the
 * configuration is checked again at once (the snapshot's copy may be hours old). On a JVM without CRaC — locally, or
 * a function without SnapStart — the hooks never run.
 */
final class SnapshotPriming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPriming.class);

    private final Hub hub;

    private SnapshotPriming(Hub hub) {
        this.hub = hub;
    }

    /** Registers the hooks for {@code hub}; the answer must be kept (the context holds resources weakly). */
    static SnapshotPriming register(Hub hub) {
        SnapshotPriming priming = new SnapshotPriming(hub);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        int samples = hub.prime();
        LOG.info("primed for the snapshot in {} ms ({} samples)", (System.nanoTime() - start) / 1_000_000, samples);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        if (hub.services().configs() instanceof StoredConfiguration stored) {
            stored.refresh();
        }
    }
}
