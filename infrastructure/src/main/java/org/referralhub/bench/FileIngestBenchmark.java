package org.referralhub.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.referralhub.camel.Endpoints;
import org.referralhub.delivery.DirectorySecretStore;
import org.referralhub.files.FileImport;
import org.referralhub.hub.Hub;
import org.referralhub.hub.HubSettings;
import org.referralhub.local.LocalHub;
import org.referralhub.referral.CanonicalJson;
import org.referralhub.store.ReferralTableDefinition;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * File ingest, measured: an N-row CSV through the hub's whole file path (parse, map, validate, normalize,
 * de-duplicate, store) against the floors of the same work — the very items the hub stored, written by
 * BatchWriteItem (25 a call, unprocessed retried) on 1, 4 and 8 threads, and the transactional floor (each item
 * conditional, TransactWriteItems of 100, 4 threads) — each into a fresh DynamoDB Local and table of the hub's kind
 * ({@link BaselineTable}), warm. Prints medians, min-max and the ratios, with the machine's load before every run, and
 * writes them as JSON. Run with the benchmark profile (see README); not part of the test suite.
 */
public final class FileIngestBenchmark {

    private FileIngestBenchmark() {
    }

    /** Run on its own (the memory run, in a JVM of its own with a capped heap): rows, repeats, output, --no-baseline. */
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path out = Path.of(args.length > 2 ? args[2] : "target/benchmarks/file-ingest.json");
        boolean baseline = !(args.length > 3 && args[3].equals("--no-baseline"));
        Map<String, Object> result = run(rows, repeats, baseline);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, CanonicalJson.write(result));
        System.out.println(CanonicalJson.write(result));
    }

    /** The baselines, each on a fresh DynamoDB Local with the hub's kind of table ({@link BaselineTable}). */
    static final List<String> BASELINES = List.of("batchWrite1", "batchWrite4", "batchWrite8", "transactional4");

    static Map<String, Object> run(int rows, int repeats, boolean baseline) throws Exception {
        Path work = Files.createTempDirectory("referral-hub-bench-");
        LocalHub.makeMissingSigningSecrets(HubSettings.DEFAULT_CONFIG,
                new DirectorySecretStore(work.resolve("keys")));
        List<Double> hub = new ArrayList<>();
        Map<String, List<Double>> floors = new LinkedHashMap<>();
        BASELINES.forEach(b -> floors.put(b, new ArrayList<>()));
        List<Double> loads = new ArrayList<>();
        long peakHeap = 0;
        long peakLive = 0;
        // run -1 warms the JVM up (the hub's path and every baseline's) on a small file and is not counted
        for (int run = -1; run < repeats; run++) {
            int count = run < 0 ? Math.min(1_000, rows) : rows;
            double load = MachineLoad.settle("file ingest " + (run < 0 ? "warm-up" : "run " + (run + 1)));
            // a fresh DynamoDB Local per run, in memory: on disk it syncs every single-item write, which measures the
            // disk, not the hub; and it slows down as earlier runs' tables fill it
            List<Map<String, AttributeValue>> items;
            double hubRate;
            try (var dynamo = LocalHub.startDynamoDbLocal(null)) {
                String table = "bench-" + UUID.randomUUID();
                ReferralTableDefinition.ensureExists(URI.create(dynamo.endpoint()), table);
                try (Hub h = Hub.start(HubSettings.of(Map.of(
                        HubSettings.REFERRALS_TABLE, table,
                        HubSettings.ARCHIVE_DIR, work.resolve("archive").toString(),
                        HubSettings.FILE_DROP_DIR, work.resolve("drops").toString(),
                        HubSettings.KEY_STORE_DIR, work.resolve("keys").toString(),
                        HubSettings.AWS_ENDPOINT_URL, dynamo.endpoint(),
                        HubSettings.HUB_BASE_URL, "http://localhost:9")))) {
                    Path inbound = Files.createDirectories(work.resolve("drops/cics/inbound"));
                    String name = "bench-" + (run + 1) + ".csv";
                    Files.write(inbound.resolve(name), csv(count, run + 1));
                    resetPeaks();
                    LiveHeap live = LiveHeap.watch();
                    long start = System.nanoTime();
                    FileImport.Summary summary = h.producer().requestBody(
                            Endpoints.FILE_INTAKE, "cics/inbound/" + name, FileImport.Summary.class);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    peakHeap = Math.max(peakHeap, peakHeapBytes());
                    peakLive = Math.max(peakLive, live.stop());
                    if (summary.accepted() != count) {
                        throw new IllegalStateException("expected " + count + " accepted rows, got " + summary);
                    }
                    hubRate = count / seconds;
                    items = baseline ? scan(h.dynamo(), table) : List.of();
                }
            }
            StringBuilder line = new StringBuilder(String.format("file ingest %s: hub %.0f rows/s",
                    run < 0 ? "warm-up" : "run " + (run + 1), hubRate));
            Map<String, Double> rates = new LinkedHashMap<>();
            if (baseline) {
                line.append(String.format(" (%d items)", items.size()));
                for (String floor : BASELINES) {
                    try (BaselineTable fresh = BaselineTable.fresh()) {
                        long start = System.nanoTime();
                        write(floor, fresh, items);
                        rates.put(floor, count / ((System.nanoTime() - start) / 1e9));
                    }
                    line.append(String.format(", %s %.0f rows/s", floor, rates.get(floor)));
                }
            }
            System.out.println(line);
            if (run >= 0) {
                hub.add(hubRate);
                rates.forEach((floor, rate) -> floors.get(floor).add(rate));
                loads.add(load);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "file-ingest");
        result.put("rows", rows);
        result.put("repeats", repeats);
        result.put("at", Instant.now().toString());
        result.put("loadsBeforeRuns", loads);
        result.put("reportable", loads.stream().allMatch(MachineLoad::reportable));
        result.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        // the most the heap held after a collection: what the import keeps alive, the figure that must not grow with rows
        result.put("peakLiveHeapMb", peakLive / (1024 * 1024));
        // each heap pool's own peak, added up: an upper bound (the pools peak at different moments)
        result.put("peakHeapMb", peakHeap / (1024 * 1024));
        result.put("hubRowsPerSecond", Stats.of(hub));
        if (baseline) {
            floors.forEach((floor, rates) -> result.put(floor + "RowsPerSecond", Stats.of(rates)));
            double bestBatch = List.of("batchWrite1", "batchWrite4", "batchWrite8").stream()
                    .mapToDouble(f -> Stats.median(floors.get(f))).max().orElseThrow();
            result.put("ratioToTransactionalFloor", Stats.median(hub) / Stats.median(floors.get("transactional4")));
            result.put("ratioToBestBatchWrite", Stats.median(hub) / bestBatch);
        }
        return result;
    }

    /** One baseline's writes of the very items the hub stored, into its fresh table. */
    private static void write(String floor, BaselineTable table, List<Map<String, AttributeValue>> items)
            throws Exception {
        switch (floor) {
            case "batchWrite1" -> batchWrite(table.dynamo(), table.name(), items);
            case "batchWrite4" -> inParallel(4, items, 25, chunk -> batchWrite(table.dynamo(), table.name(), chunk));
            case "batchWrite8" -> inParallel(8, items, 25, chunk -> batchWrite(table.dynamo(), table.name(), chunk));
            case "transactional4" -> inParallel(4, items, 100, chunk -> transact(table.dynamo(), table.name(), chunk));
            default -> throw new IllegalArgumentException(floor);
        }
    }

    /** The items cut in chunks of {@code size}, written by {@code threads} lanes taking the next chunk as each is done. */
    private static void inParallel(int threads, List<Map<String, AttributeValue>> items, int size,
                                   Consumer<List<Map<String, AttributeValue>>> writer) throws Exception {
        var pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> lanes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            lanes.add(pool.submit(() -> {
                for (int i = next.getAndAdd(size); i < items.size(); i = next.getAndAdd(size)) {
                    writer.accept(items.subList(i, Math.min(i + size, items.size())));
                }
                return null;
            }));
        }
        for (var lane : lanes) {
            lane.get();
        }
        pool.shutdown();
    }

    /**
     * The transactional floor, the hub's own guarantee: every item written only if it is not there yet (a referral
     * and its de-duplication claims are conditional), up to 100 in one TransactWriteItems.
     */
    static void transact(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        List<TransactWriteItem> writes = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build()).build());
        }
        dynamo.transactWriteItems(r -> r.transactItems(writes));
    }

    static byte[] csv(int rows, int run) {
        StringBuilder csv = new StringBuilder(rows * 160);
        csv.append("Reference,First Name,Last Name,Email,Phone,Preferred Language,Postal Code,Country of Origin,"
                + "Arrival Date,Years of Experience,English Level,Consent\r\n");
        String[] postal = {"M2N 6K1", "M9W 5L7", "L4B 3K9", "M1P 4P5", "M5V 3L9"};
        for (int i = 0; i < rows; i++) {
            csv.append("B").append(run).append('-').append(i).append(",Client").append(i).append(",Test")
                    .append(i % 997).append(",client").append(run).append('.').append(i).append("@example.org,")
                    .append("416555").append(String.format("%04d", i % 10_000)).append(",English,")
                    .append(postal[i % postal.length]).append(",India,2024-03-15,").append(3 + i % 20)
                    .append(",CLB 8,yes\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<Map<String, AttributeValue>> scan(DynamoDbClient dynamo, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(table).build()).items().forEach(items::add);
        return items;
    }

    /** The floor: BatchWriteItem of 25, retrying unprocessed items until none is left. */
    static void batchWrite(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = new ArrayList<>();
            for (Map<String, AttributeValue> item : items.subList(i, Math.min(i + 25, items.size()))) {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(table, batch);
            while (!pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(request));
                pending = response.unprocessedItems();
            }
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
