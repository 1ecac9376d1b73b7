package org.referralhub.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.referralhub.functions.ReferralApiFunction;
import org.referralhub.hub.Hub;
import org.referralhub.hub.Wing;
import org.referralhub.hub.HubSettings;
import org.referralhub.referral.CanonicalJson;

/**
 * A fresh JVM's first webhook referral through the real handler, as a Lambda container's first invocation: the hub
 * built from the environment (as the handler's no-arg constructor does), then one event, stored. Prints one
 * {@code RESULT} line and exits. Run by {@link ColdStartBenchmark} on the deployable jar. With {@code -Dprobe.prime=true}
 * the hub is primed first, as SnapStart's hook does before the snapshot.
 */
public final class HubColdStartProbe {

    private HubColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        String token = args[0];
        String apiKey = args[1];
        var event = ColdStartEvent.of(ColdStartEvent.body(token), apiKey, token);
        long initStart = System.nanoTime();
        // -Dprobe.allWings: every wing's routes, as each function built them before it built only its own
        Hub hub = Hub.start(HubSettings.fromEnvironment(), Boolean.getBoolean("probe.allWings") ? Wing.all()
                : ReferralApiFunction.WINGS);
        ReferralApiFunction handler = new ReferralApiFunction(hub);
        long primed = 0;
        if (Boolean.getBoolean("probe.prime")) {
            // what SnapStart's hook runs before the snapshot; the request after it is a restored container's first
            long primeStart = System.nanoTime();
            hub.prime();
            primed = (System.nanoTime() - primeStart) / 1_000_000;
        }
        long initEnd = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        long handled = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", response.getStatusCode());
        result.put("jvmStartToMainMs", jvmStartToMain(entered));
        result.put("initMs", (initEnd - initStart) / 1_000_000 - primed);
        result.put("primeMs", primed);
        result.put("initPhasesMs", hub.startupMillis());
        result.put("firstRequestMs", (handled - initEnd) / 1_000_000);
        System.out.println("RESULT " + CanonicalJson.write(result));
        System.out.flush();
        int exit = response.getStatusCode() == 202 ? 0 : 1;
        if (Boolean.getBoolean("probe.exit")) {
            System.exit(exit);   // a profiler attached (-XX:StartFlightRecording) writes its file on a normal exit
        }
        Runtime.getRuntime().halt(exit);
    }

    /** Milliseconds from the JVM's start to {@code main} (class loading of the launcher, the JDK's own start). */
    static long jvmStartToMain(long enteredNanos) {
        long uptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime() - (System.nanoTime() - enteredNanos) / 1_000_000;
        return Math.max(0, uptimeAtMain);
    }
}
