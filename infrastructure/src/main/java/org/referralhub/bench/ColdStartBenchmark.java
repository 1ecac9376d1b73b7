package org.referralhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.referralhub.delivery.DirectorySecretStore;
import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;
import org.referralhub.local.LocalHub;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.store.ReferralTableDefinition;

/**
 * Cold start, whole process: a fresh JVM on the deployable jar handling its first webhook referral through the real
 * handler, stored, against a fresh JVM running a bare handler (Jackson parse, one PutItem) — same JVM flags, same
 * DynamoDB Local, taken in turns. Timed from process start to the answer's line on its output.
 */
final class ColdStartBenchmark {

    /** As a Java 17 Lambda function starts its JVM (template.yaml's JAVA_TOOL_OPTIONS, the runtime's collector). */
    static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-Xmx768m");

    private ColdStartBenchmark() {
    }

    static Map<String, Object> run(int repeats, Path functionsJar) throws Exception {
        Path work = Files.createTempDirectory("referral-hub-cold-");
        Path probes = Path.of(HubColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classpath = functionsJar.toAbsolutePath() + File.pathSeparator + probes;
        try (var dynamo = LocalHub.startDynamoDbLocal(null)) {
            String table = "bench-cold-" + UUID.randomUUID();
            ReferralTableDefinition.ensureExists(URI.create(dynamo.endpoint()), table);
            LocalHub.makeMissingSigningSecrets(HubSettings.DEFAULT_CONFIG,
                    new DirectorySecretStore(work.resolve("keys")));
            Map<String, String> env = new LinkedHashMap<>();
            env.put(HubSettings.REFERRALS_TABLE, table);
            env.put(HubSettings.ARCHIVE_DIR, work.resolve("archive").toString());
            env.put(HubSettings.FILE_DROP_DIR, work.resolve("drops").toString());
            env.put(HubSettings.KEY_STORE_DIR, work.resolve("keys").toString());
            env.put(HubSettings.AWS_ENDPOINT_URL, dynamo.endpoint());
            env.put(HubSettings.HUB_BASE_URL, "http://localhost:9");
            env.put(HubSettings.AWS_REGION, "ca-central-1");
            // a deployed function finds its configuration in the table: seeded once here, as at the stack's first start
            try (Hub seeding = Hub.start(HubSettings.of(env))) {
                seeding.services().config();
            }
            String apiKey = LocalHub.demoKeys().get("cet");
            List<Double> hub = new ArrayList<>();
            List<Double> bare = new ArrayList<>();
            List<JsonNode> hubRuns = new ArrayList<>();
            List<JsonNode> bareRuns = new ArrayList<>();
            // one of each first, not counted: the operating system's file cache warms for both
            probe(HubColdStartProbe.class, classpath, env, apiKey, null, null, false);
            probe(BareColdStartProbe.class, classpath, env, apiKey, null, null, false);
            List<JsonNode> primedRuns = new ArrayList<>();
            List<Double> allWings = new ArrayList<>();
            List<JsonNode> allWingsRuns = new ArrayList<>();
            List<Double> loads = new ArrayList<>();
            for (int run = 0; run < repeats; run++) {
                loads.add(MachineLoad.settle("cold start run " + (run + 1)));
                probe(HubColdStartProbe.class, classpath, env, apiKey, hub, hubRuns, false);
                probe(BareColdStartProbe.class, classpath, env, apiKey, bare, bareRuns, false);
                probe(HubColdStartProbe.class, classpath, env, apiKey, null, primedRuns, true);
                probe(HubColdStartProbe.class, classpath, env, apiKey, allWings, allWingsRuns, "-Dprobe.allWings=true");
                System.out.printf("cold start %d: hub %.0f ms (every wing's routes: %.0f ms), bare handler %.0f ms; "
                        + "primed hub's first request %s ms%n", run + 1, hub.get(run), allWings.get(run), bare.get(run),
                        primedRuns.get(run).path("firstRequestMs"));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "cold-start");
            result.put("repeats", repeats);
            result.put("loadsBeforeRuns", loads);
            result.put("reportable", loads.stream().allMatch(MachineLoad::reportable));
            result.put("jvmFlags", JVM_FLAGS);
            result.put("jarBytes", Files.size(functionsJar));
            result.put("hubMs", Stats.of(hub));
            result.put("bareHandlerMs", Stats.of(bare));
            result.put("ratio", Stats.median(hub) / Stats.median(bare));
            result.put("hubInside", medians(hubRuns));
            // the same function building every wing's routes, as every function did before it built only its own
            result.put("hubAllWingsMs", Stats.of(allWings));
            result.put("hubAllWingsInside", medians(allWingsRuns));
            result.put("bareInside", medians(bareRuns));
            // SnapStart's case, short of the restore itself (AWS's, not measurable here): the first request of a hub
            // primed before its snapshot
            result.put("primedHubInside", medians(primedRuns));
            return result;
        }
    }

    /** Starts one probe JVM and times it to its RESULT line; records the time and what it said when asked to. */
    private static void probe(Class<?> probe, String classpath, Map<String, String> env, String apiKey,
                              List<Double> times, List<JsonNode> reports, boolean primed) throws Exception {
        probe(probe, classpath, env, apiKey, times, reports, primed ? "-Dprobe.prime=true" : null);
    }

    private static void probe(Class<?> probe, String classpath, Map<String, String> env, String apiKey,
                              List<Double> times, List<JsonNode> reports, String option) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        if (option != null) {
            command.add(option);
        }
        command.addAll(List.of("-cp", classpath, probe.getName(), UUID.randomUUID().toString().replace("-", ""), apiKey));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("LOG_LEVEL", "WARN");
        long start = System.nanoTime();
        Process process = builder.start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring("RESULT ".length());
                    if (times != null) {
                        times.add((System.nanoTime() - start) / 1e6);
                    }
                } else if (output.length() < 4000) {
                    output.append(line).append('\n');
                }
            }
        }
        process.waitFor(30, TimeUnit.SECONDS);
        if (result == null || process.exitValue() != 0) {
            throw new IllegalStateException(probe.getSimpleName() + " failed (exit " + process.exitValue() + "):\n" + output);
        }
        if (reports != null) {
            reports.add(CanonicalJson.MAPPER.readTree(result));
        }
    }

    /** The median of each number the probes reported (phases too). */
    private static Map<String, Object> medians(List<JsonNode> runs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String field : List.of("jvmStartToMainMs", "initMs", "primeMs", "firstRequestMs")) {
            if (runs.get(0).has(field)) {
                out.put(field, Stats.median(runs.stream().map(r -> r.path(field).asDouble()).toList()));
            }
        }
        if (runs.get(0).has("initPhasesMs")) {
            Map<String, Object> phases = new LinkedHashMap<>();
            runs.get(0).get("initPhasesMs").fieldNames().forEachRemaining(phase -> phases.put(phase,
                    Stats.median(runs.stream().map(r -> r.path("initPhasesMs").path(phase).asDouble()).toList())));
            out.put("initPhasesMs", phases);
        }
        return out;
    }
}
