package org.referralhub.files;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A file's batches of referrals written while its next rows are read and mapped: up to {@link #WRITERS} at once, on
 * threads shared by every import of the process. A batch that names a client (a claim key) that a batch still being
 * written names too waits for that one first, so the earlier row always holds the referral and the later one is its
 * duplicate — as when a file is written one batch after another. A write that fails fails the import: at the next
 * batch handed over, or at the end, once every write begun has finished.
 */
final class BatchWrites {

    /** Batches written at once: as many as the transactional floor the benchmark measures against. */
    static final int WRITERS = 4;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "file-import-write");
        thread.setDaemon(true);
        return thread;
    });

    private record InFlight(Future<?> write, Set<String> keys) {
    }

    private final Deque<InFlight> inFlight = new ArrayDeque<>();

    /** Begins writing a batch, once the writes it must follow are done and a writer is free. */
    void submit(Set<String> keys, Runnable write) {
        InFlight sharing = null;
        for (InFlight earlier : inFlight) {
            if (!Collections.disjoint(earlier.keys(), keys)) {
                sharing = earlier;
            }
        }
        if (sharing != null) {
            InFlight done;
            do {
                done = inFlight.removeFirst();
                await(done);
            } while (done != sharing);
        }
        while (inFlight.size() >= WRITERS) {
            await(inFlight.removeFirst());
        }
        inFlight.addLast(new InFlight(POOL.submit(write), keys));
    }

    /** Waits for every write begun; the first that failed is thrown once all have finished. */
    void awaitAll() {
        RuntimeException first = null;
        while (!inFlight.isEmpty()) {
            try {
                await(inFlight.removeFirst());
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void await(InFlight write) {
        try {
            write.write().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a file's referrals", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("a batch of the file's referrals was not written", e.getCause());
        }
    }
}
