package org.referralhub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.referralhub.referral.CanonicalJson;

/**
 * The benchmark command: each benchmark beside its baseline, in the same run, on the same DynamoDB Local and JVM
 * flags, repeated; prints medians, min–max and ratios, and writes them as JSON to {@code target/benchmarks/}. Not
 * part of the test suite: {@code mvn -pl infrastructure -am -DskipTests -Pbenchmark package exec:exec} (README).
 *
 * <p>Arguments: {@code --only file-ingest,memory,cold-start,webhook-latency,dispatch} (default all),
 * {@code --repeats N} (default 3), {@code --rows N} (file ingest, default 10,000), {@code --memory-rows N}
 * (default 100,000), {@code --seconds N} (webhook latency, default 60), {@code --rate N} (requests a second, default
 * 100), {@code --referrals N} (dispatch, default 2,000), {@code --jar PATH} (the deployable jar).
 */
public final class BenchmarkCommand {

    private BenchmarkCommand() {
    }

    /** The knee's rate, or "above" the highest rate tried. */
    private static String crossing(Object knee) {
        Map<?, ?> k = (Map<?, ?>) knee;
        Object at = k.get("p99CrossesOneSecondAt");
        List<?> steps = (List<?>) k.get("steps");
        return at != null ? at + " /s" : "above " + ((Map<?, ?>) steps.get(steps.size() - 1)).get("rate") + " /s";
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> only = List.of(options.getOrDefault("only",
                "file-ingest,memory,cold-start,webhook-latency,dispatch").split(","));
        int repeats = Integer.parseInt(options.getOrDefault("repeats", "3"));
        Path jar = Path.of(options.getOrDefault("jar", "../functions/target/referral-hub-functions.jar"));
        Path out = Path.of(options.getOrDefault("out", "target/benchmarks"));
        Files.createDirectories(out);

        Map<String, Object> all = new LinkedHashMap<>();
        all.put("at", Instant.now().toString());
        all.put("machine", machine());
        List<String> table = new ArrayList<>();
        if (only.contains("file-ingest")) {
            int rows = Integer.parseInt(options.getOrDefault("rows", "10000"));
            Map<String, Object> r = FileIngestBenchmark.run(rows, repeats, true);
            all.put("fileIngest", r);
            table.add(row("file ingest, " + rows + "-row CSV, against the transactional floor (conditional writes, "
                    + "TransactWriteItems of 100, 4 threads)", r, "hubRowsPerSecond", "transactional4RowsPerSecond",
                    "%.0f rows/s", "≥ 0.9 ×"));
            for (int threads : new int[] {1, 4, 8}) {
                table.add(row("file ingest, against BatchWriteItem of the same items, " + threads + " thread"
                        + (threads > 1 ? "s" : ""), r, "hubRowsPerSecond", "batchWrite" + threads + "RowsPerSecond",
                        "%.0f rows/s", "best ≥ 0.6 ×"));
            }
        }
        if (only.contains("memory")) {
            int rows = Integer.parseInt(options.getOrDefault("memory-rows", "100000"));
            Map<String, Object> r = MemoryBenchmark.run(rows);
            all.put("memory", r);
            table.add(String.format("| memory, %,d-row CSV, heap capped at 256 MB | %s, %.0f rows/s | — | live heap at most %s MB after a collection (pools' peaks added up: %s MB) |",
                    rows, r.get("completed").equals(Boolean.TRUE) ? "completed" : "FAILED", r.get("rowsPerSecond"),
                    r.get("peakLiveHeapMb"), r.get("peakHeapMb")));
        }
        if (only.contains("cold-start")) {
            Map<String, Object> r = ColdStartBenchmark.run(Math.max(repeats, 5), jar);
            all.put("coldStart", r);
            table.add(row("cold start, first webhook referral stored", r, "hubMs", "bareHandlerMs", "%.0f ms", "≤ 1.5 ×"));
            Map<?, ?> hubInside = (Map<?, ?>) r.get("hubInside");
            Map<?, ?> bareInside = (Map<?, ?>) r.get("bareInside");
            Map<?, ?> primed = (Map<?, ?>) r.get("primedHubInside");
            table.add(String.format("| cold start, inside the process: init, then first request | %.0f ms + %.0f ms (%s) | %.0f ms + %.0f ms | |",
                    hubInside.get("initMs"), hubInside.get("firstRequestMs"), hubInside.get("initPhasesMs"),
                    bareInside.get("initMs"), bareInside.get("firstRequestMs")));
            table.add(String.format("| first request of a hub primed as before a SnapStart snapshot | %.0f ms (priming took %.0f ms) | %.0f ms | |",
                    primed.get("firstRequestMs"), primed.get("primeMs"), bareInside.get("firstRequestMs")));
            table.add(String.format("| deployable jar | %.1f MB | | |", ((Number) r.get("jarBytes")).doubleValue() / 1e6));
        }
        if (only.contains("webhook-latency")) {
            Map<String, Object> r = WebhookLatencyBenchmark.run(Integer.parseInt(options.getOrDefault("rate", "100")),
                    Integer.parseInt(options.getOrDefault("seconds", "60")), repeats);
            all.put("webhookLatency", r);
            table.add(row("webhook p99 at " + r.get("rate") + " req/s for " + r.get("seconds") + " s", r, "hubP99Ms",
                    "barePutItemP99Ms", "%.1f ms", "≤ 3 ×") + " errors: " + r.get("errors"));
            Map<?, ?> knee = (Map<?, ?>) r.get("knee");
            table.add(String.format("| webhook: the rate where p99 crosses one second (steps of 15 s) | %s | bare PutItem: %s | |",
                    crossing(knee.get("hub")), crossing(knee.get("barePutItem"))));
        }
        if (only.contains("dispatch")) {
            Map<String, Object> r = DispatchBenchmark.run(Integer.parseInt(options.getOrDefault("referrals", "2000")),
                    repeats);
            all.put("dispatch", r);
            table.add(row("dispatch to a partner webhook, signed", r, "hubPerSecond", "plainPostPerSecond",
                    "%.0f /s", "≥ 0.3 ×"));
            table.add(String.format("| dispatch, against claim + POST + record one at a time, 8 lanes | median %.0f /s "
                    + "| median %.0f /s | %.2f × |", ((Map<?, ?>) r.get("hubPerSecond")).get("median"),
                    ((Map<?, ?>) r.get("ledgerFloorPerSecond")).get("median"), (Double) r.get("ratioToLedgerFloor")));
            table.add(String.format("| dispatch, against a batch's claims in one transaction, its POSTs on 8 threads, "
                    + "its records in one | median %.0f /s | median %.0f /s | %.2f × |",
                    ((Map<?, ?>) r.get("hubPerSecond")).get("median"),
                    ((Map<?, ?>) r.get("batchedFloorPerSecond")).get("median"), (Double) r.get("ratioToBatchedFloor")));
        }
        Files.writeString(out.resolve("benchmarks.json"), CanonicalJson.write(all));
        System.out.println();
        System.out.println("| benchmark | hub | baseline | ratio (target) |");
        System.out.println("|---|---|---|---|");
        table.forEach(System.out::println);
        System.out.println();
        System.out.println("written to " + out.resolve("benchmarks.json").toAbsolutePath());
    }

    /** A table row: the hub's median and range, the baseline's, their ratio; marked when a run's load was too high. */
    @SuppressWarnings("unchecked")
    private static String row(String name, Map<String, Object> result, String hub, String baseline, String format,
                              String target) {
        Map<String, Double> h = (Map<String, Double>) result.get(hub);
        Map<String, Double> b = (Map<String, Double>) result.get(baseline);
        String row = String.format("| %s | median %s (%s–%s) | median %s (%s–%s) | %.2f × (%s) |", name,
                String.format(format, h.get("median")), String.format(format, h.get("min")), String.format(format, h.get("max")),
                String.format(format, b.get("median")), String.format(format, b.get("min")), String.format(format, b.get("max")),
                h.get("median") / b.get("median"), target);
        return Boolean.FALSE.equals(result.get("reportable")) ? row + " NOT TO BE REPORTED: a run began above load "
                + MachineLoad.MAX + " (" + result.get("loadsBeforeRuns") + ")" : row;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        try {
            m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?"));
        } catch (IOException e) {
            m.put("cpu", "?");
        }
        return m;
    }
}
