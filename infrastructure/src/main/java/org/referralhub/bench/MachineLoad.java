package org.referralhub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load (the one-minute load average), printed with every run: a run made on a busy machine measures the
 * machine. Above {@link #MAX} a run's figures are marked as not to be reported.
 */
final class MachineLoad {

    static final double MAX = 1.5;

    private MachineLoad() {
    }

    /** The one-minute load average, or -1 where the system does not say (not Linux). */
    static double now() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Waits (up to two minutes) for the load left by what ran before to fall to {@link #MAX}, then prints it: the load
     * a run starts on. Above it still, the run is marked as not to be reported, and says so.
     */
    static double settle(String run) throws InterruptedException {
        double load = now();
        for (int waited = 0; load > MAX && waited < 120; waited += 2) {
            Thread.sleep(2_000);
            load = now();
        }
        if (load > MAX) {
            System.out.printf("%s: load %.2f, above %.1f after two minutes' wait — NOT TO BE REPORTED%n", run, load, MAX);
        } else {
            System.out.printf("%s: load %.2f%n", run, load);
        }
        return load;
    }

    /** Whether a run that started on {@code load} may be reported. */
    static boolean reportable(double load) {
        return load <= MAX;
    }
}
