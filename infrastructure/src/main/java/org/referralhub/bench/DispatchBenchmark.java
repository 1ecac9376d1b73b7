package org.referralhub.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.referralhub.camel.Endpoints;
import org.referralhub.config.ConfigurationLoader;
import org.referralhub.files.FileImport;
import org.referralhub.local.LocalHub;
import org.referralhub.referral.CanonicalJson;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Dispatch: a backlog of stored referrals (their stream records held while the file was read, then released)
 * delivered, signed, to a partner's webhook — a receiver in this JVM that answers 200 at once — timed from the first
 * delivery it receives to the last (the sweep kept out of it), against plain HTTP POSTs of the very bodies it received to
 * the same receiver, one at a time, and against the floor of any exactly-once dispatcher on this table (a claim
 * write, the POST, a record write, as many at once as the hub).
 */
final class DispatchBenchmark {

    /** Bodies to a batch in the batched floor: about what one stream batch of the hub's holds. */
    private static final int FLOOR_BATCH = 50;

    private DispatchBenchmark() {
    }

    /** What the receiver saw: when, and the body. */
    private record Arrival(long nanos, byte[] body, boolean signed) {
    }

    static Map<String, Object> run(int referrals, int repeats) throws Exception {
        ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
        AtomicInteger plain = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        var receiving = Executors.newFixedThreadPool(8);
        receiver.setExecutor(receiving);
        receiver.createContext("/referrals", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            arrivals.add(new Arrival(System.nanoTime(), body, exchange.getRequestHeaders().getFirst("webhook-signature") != null));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/plain", exchange -> {
            exchange.getRequestBody().readAllBytes();
            plain.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();

        // the demo, with every referral routed to one webhook partner whose intake is the receiver
        Path data = Files.createTempDirectory("referral-hub-dispatch-");
        ObjectNode config = ConfigurationLoader.read("classpath:hub-config.yaml");
        ((ObjectNode) config.get("routing")).set("rules", CanonicalJson.MAPPER.createArrayNode());
        for (var partner : config.get("partners")) {
            if (partner.path("id").asText().equals(config.at("/routing/fallbackPartner").asText())) {
                ((ObjectNode) partner.get("intake")).put("url", base + "/referrals");
            }
        }
        Path configFile = data.resolve("dispatch-config.json");
        Files.writeString(configFile, CanonicalJson.write(config));

        List<Double> hub = new ArrayList<>();
        List<Double> baseline = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> batchedFloor = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (LocalHub local = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("bench-dispatch-" + UUID.randomUUID()).withConfigLocation(configFile.toString())
                .withSweepMillis(3_600_000))) {
            for (int run = -1; run < repeats; run++) {
                // run -1 warms both paths up and is not counted
                int count = run < 0 ? Math.min(200, referrals) : referrals;
                double load = MachineLoad.settle("dispatch " + (run < 0 ? "warm-up" : "run " + (run + 1)));
                arrivals.clear();
                String name = "dispatch-" + UUID.randomUUID() + ".csv";
                Path inbound = Files.createDirectories(data.resolve("sftp/cics/inbound"));
                Files.write(inbound.resolve(name), FileIngestBenchmark.csv(count, 1000 + run));
                // the referrals stored first, their stream records held (a backlog, as after a paused mapping), then
                // released: what is timed is dispatch alone, not the intake feeding it
                local.holdDispatchFeed();
                local.hub().producer().requestBody(Endpoints.FILE_INTAKE, "cics/inbound/" + name,
                        FileImport.Summary.class);
                local.releaseDispatchFeed();
                long deadline = System.nanoTime() + 600_000_000_000L;
                while (arrivals.size() < count && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                List<Arrival> got = new ArrayList<>(arrivals);
                if (got.size() < count) {
                    throw new IllegalStateException("only " + got.size() + " of " + count + " delivered in 10 minutes");
                }
                if (got.stream().anyMatch(a -> !a.signed())) {
                    throw new IllegalStateException("a delivery came unsigned");
                }
                long first = got.stream().mapToLong(Arrival::nanos).min().orElseThrow();
                long last = got.stream().mapToLong(Arrival::nanos).max().orElseThrow();
                double hubRate = (count - 1) / ((last - first) / 1e9);

                long start = System.nanoTime();
                for (Arrival a : got) {
                    int status = http.send(HttpRequest.newBuilder(URI.create(base + "/plain"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(a.body()))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 200) {
                        throw new IllegalStateException("the receiver answered " + status);
                    }
                }
                double plainRate = count / ((System.nanoTime() - start) / 1e9);
                double floorRate = ledgerFloor(local, got, base, http);
                double batchedRate = batchedFloor(local, got, base, http);
                if (run >= 0) {
                    hub.add(hubRate);
                    baseline.add(plainRate);
                    floor.add(floorRate);
                    batchedFloor.add(batchedRate);
                    loads.add(load);
                    System.out.printf("dispatch %d: hub %.0f/s, plain POSTs %.0f/s, claim + POST + record %.0f/s, "
                            + "batched claim + POSTs + record %.0f/s%n", run + 1, hubRate, plainRate, floorRate, batchedRate);
                }
            }
        } finally {
            receiver.stop(0);
            receiving.shutdownNow();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "dispatch");
        result.put("referrals", referrals);
        result.put("repeats", repeats);
        result.put("loadsBeforeRuns", loads);
        result.put("reportable", loads.stream().allMatch(MachineLoad::reportable));
        result.put("hubPerSecond", Stats.of(hub));
        result.put("plainPostPerSecond", Stats.of(baseline));
        result.put("ratio", Stats.median(hub) / Stats.median(baseline));
        result.put("ledgerFloorPerSecond", Stats.of(floor));
        result.put("ratioToLedgerFloor", Stats.median(hub) / Stats.median(floor));
        result.put("batchedFloorPerSecond", Stats.of(batchedFloor));
        result.put("ratioToBatchedFloor", Stats.median(hub) / Stats.median(batchedFloor));
        return result;
    }

    /**
     * What no exactly-once dispatcher can go below: per body, a conditional write that claims it, the POST, a
     * conditional write that records it — items as large as the hub's, with the same index keys, in the same table —
     * on as many threads as the hub dispatches with. No mapping, no signing, no Camel.
     */
    private static double ledgerFloor(LocalHub local, List<Arrival> bodies, String base, HttpClient http)
            throws Exception {
        var dynamo = local.hub().dynamo();
        String table = local.hub().services().store().tableName();
        List<Map<String, AttributeValue>> items = referralItems(local);
        int threads = local.hub().services().config().delivery().concurrentDeliveries();
        var pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> lanes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            lanes.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    Map<String, AttributeValue> item = new HashMap<>(items.get(i % items.size()));
                    item.put("pk", AttributeValue.fromS("FLOOR#" + UUID.randomUUID()));
                    item.put("version", AttributeValue.fromN("1"));
                    dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
                    int status = http.send(HttpRequest.newBuilder(URI.create(base + "/plain"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i).body())).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 200) {
                        throw new IllegalStateException("the receiver answered " + status);
                    }
                    item.put("version", AttributeValue.fromN("2"));
                    dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("version = :v")
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1"))));
                }
                return null;
            }));
        }
        for (var lane : lanes) {
            lane.get();
        }
        pool.shutdown();
        return bodies.size() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The floor of the hub's own design, written without it: per batch of {@value #FLOOR_BATCH} bodies, one
     * transaction of conditional claims, the POSTs on as many threads as the hub sends with, one transaction of
     * conditional records — items as large as the hub's, in the same table. No mapping, no signing, no Camel.
     */
    private static double batchedFloor(LocalHub local, List<Arrival> bodies, String base, HttpClient http)
            throws Exception {
        var dynamo = local.hub().dynamo();
        String table = local.hub().services().store().tableName();
        List<Map<String, AttributeValue>> items = referralItems(local);
        int threads = local.hub().services().config().delivery().concurrentDeliveries();
        var pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            for (int from = 0; from < bodies.size(); from += FLOOR_BATCH) {
                List<Arrival> batch = bodies.subList(from, Math.min(bodies.size(), from + FLOOR_BATCH));
                List<Map<String, AttributeValue>> claimed = new ArrayList<>();
                List<TransactWriteItem> claims = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    Map<String, AttributeValue> item = new HashMap<>(items.get((from + i) % items.size()));
                    item.put("pk", AttributeValue.fromS("FLOOR#" + UUID.randomUUID()));
                    item.put("version", AttributeValue.fromN("1"));
                    claimed.add(item);
                    claims.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(pk)")).build());
                }
                dynamo.transactWriteItems(r -> r.transactItems(claims));
                List<Future<Integer>> posts = new ArrayList<>();
                for (Arrival a : batch) {
                    posts.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/plain"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(a.body())).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode()));
                }
                for (Future<Integer> post : posts) {
                    if (post.get() != 200) {
                        throw new IllegalStateException("the receiver answered " + post.get());
                    }
                }
                List<TransactWriteItem> records = new ArrayList<>();
                for (Map<String, AttributeValue> item : claimed) {
                    Map<String, AttributeValue> recorded = new HashMap<>(item);
                    recorded.put("version", AttributeValue.fromN("2"));
                    records.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(recorded)
                            .conditionExpression("version = :v")
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1")))).build());
                }
                dynamo.transactWriteItems(r -> r.transactItems(records));
            }
            return bodies.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The referral items the hub stored: what the floors write copies of. */
    private static List<Map<String, AttributeValue>> referralItems(LocalHub local) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        local.hub().dynamo().scanPaginator(r -> r.tableName(local.hub().services().store().tableName())
                .filterExpression("kind = :k").expressionAttributeValues(Map.of(":k", AttributeValue.fromS("referral"))))
                .items().forEach(items::add);
        return items;
    }
}
