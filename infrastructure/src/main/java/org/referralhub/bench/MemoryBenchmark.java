package org.referralhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.referralhub.referral.CanonicalJson;

/** A large file in a JVM of its own whose heap is capped at 256 MB: it completes, and its peak heap is reported. */
final class MemoryBenchmark {

    private MemoryBenchmark() {
    }

    static Map<String, Object> run(int rows) throws Exception {
        Path out = Files.createTempFile("referral-hub-memory-", ".json");
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), FileIngestBenchmark.class.getName(),
                Integer.toString(rows), "1", out.toString(), "--no-baseline"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int exit = process.waitFor();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "memory");
        result.put("rows", rows);
        result.put("maxHeapMb", 256);
        result.put("completed", exit == 0);
        if (exit == 0) {
            JsonNode run = CanonicalJson.MAPPER.readTree(Files.readString(out));
            result.put("rowsPerSecond", run.at("/hubRowsPerSecond/median").asDouble());
            result.put("peakLiveHeapMb", run.path("peakLiveHeapMb").asLong());
            result.put("peakHeapMb", run.path("peakHeapMb").asLong());
        } else {
            result.put("rowsPerSecond", 0.0);
            result.put("peakHeapMb", "—");
        }
        System.out.printf("memory: %,d rows at -Xmx256m %s%n", rows, exit == 0 ? "completed" : "FAILED (exit " + exit + ")");
        return result;
    }
}
