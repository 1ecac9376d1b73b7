package org.referralhub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.referralhub.local.LocalHub;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Webhook latency under a steady load: referrals posted through the local hub's HTTP gateway at a fixed rate for a
 * while (open loop: each request's latency counts from when it was due, so a stall is not hidden), against a bare
 * PutItem of the same body at the same rate into the same DynamoDB Local. Every answer must be 202.
 */
final class WebhookLatencyBenchmark {

    private WebhookLatencyBenchmark() {
    }

    /** One request: started when due, done with a latency in ms, or an error. */
    private record Load(List<Double> latencies, int errors) {
    }

    static Map<String, Object> run(int rate, int seconds, int repeats) throws Exception {
        Path data = Files.createTempDirectory("referral-hub-latency-");
        List<Double> hubP99 = new ArrayList<>();
        List<Double> hubP50 = new ArrayList<>();
        List<Double> bareP99 = new ArrayList<>();
        List<Double> bareP50 = new ArrayList<>();
        int errors = 0;
        AtomicLong sequence = new AtomicLong();
        Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
        List<Double> loads = new ArrayList<>();
        Map<String, Object> knees = new LinkedHashMap<>();
        try (LocalHub hub = LocalHub.start(LocalHub.Options.defaults().withPorts(0, 0, 0).withDataDirectory(data)
                .withTableName("bench-latency-" + UUID.randomUUID()))) {
            String template;
            try (var in = WebhookLatencyBenchmark.class.getClassLoader().getResourceAsStream("samples/cics-canonical.json")) {
                template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String key = LocalHub.demoKeys().get("cics");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(16)).build();
            URI url = URI.create(hub.baseUrl() + "/v1/referrals");
            IntFunction<Boolean> post = i -> {
                String body = client(template, sequence.incrementAndGet());
                try {
                    int status = http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                            .header("X-Api-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 202) {
                        errorKinds.merge("HTTP " + status, 1, Integer::sum);
                    }
                    return status == 202;
                } catch (Exception e) {
                    errorKinds.merge(e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage())
                            .replaceAll("[0-9]+", "N"), 1, Integer::sum);
                    return false;
                }
            };
            // the bare handler's table: the hub's kind, in a DynamoDB Local of its own, as a bare service would have
            BaselineTable bare = BaselineTable.fresh();
            IntFunction<Boolean> put = i -> {
                String body = client(template, sequence.incrementAndGet());
                bare.dynamo().putItem(r -> r.tableName(bare.name()).item(Map.of(
                        "pk", AttributeValue.fromS("BARE#" + UUID.randomUUID()), "sk", AttributeValue.fromS("BARE"),
                        "document", AttributeValue.fromS(body))));
                return true;
            };
            // a few seconds of each first, not counted: the JIT compiles both paths
            load(post, rate, Math.min(10, seconds));
            load(put, rate, Math.min(10, seconds));
            for (int run = 0; run < repeats; run++) {
                loads.add(MachineLoad.settle("webhook latency run " + (run + 1)));
                Load hubRun = load(post, rate, seconds);
                Load bareRun = load(put, rate, seconds);
                errors += hubRun.errors() + bareRun.errors();
                hubP99.add(Stats.percentile(hubRun.latencies(), 99));
                hubP50.add(Stats.percentile(hubRun.latencies(), 50));
                bareP99.add(Stats.percentile(bareRun.latencies(), 99));
                bareP50.add(Stats.percentile(bareRun.latencies(), 50));
                System.out.printf("webhook latency %d: hub p50 %.1f ms p99 %.1f ms (%d errors); bare PutItem p50 %.1f ms p99 %.1f ms%n",
                        run + 1, hubP50.get(run), hubP99.get(run), hubRun.errors(), bareP50.get(run), bareP99.get(run));
            }
            // where p99 crosses a second: each a rising rate for a while, until one does
            knees.put("hub", knee(post, HUB_LADDER));
            knees.put("barePutItem", knee(put, BARE_LADDER));
            bare.close();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "webhook-latency");
        result.put("rate", rate);
        result.put("seconds", seconds);
        result.put("repeats", repeats);
        result.put("loadsBeforeRuns", loads);
        result.put("reportable", loads.stream().allMatch(MachineLoad::reportable));
        result.put("hubP50Ms", Stats.of(hubP50));
        result.put("hubP99Ms", Stats.of(hubP99));
        result.put("barePutItemP50Ms", Stats.of(bareP50));
        result.put("barePutItemP99Ms", Stats.of(bareP99));
        result.put("ratio", Stats.median(hubP99) / Stats.median(bareP99));
        result.put("errors", errors);
        result.put("errorKinds", new TreeMap<>(errorKinds));
        result.put("knee", knees);
        return result;
    }

    /**
     * The sample referral as the {@code n}th client's: its own reference, surname, e-mail and phone — so each request
     * is a new client's referral, as an agency's stream of them is, rather than the same client referred again (a
     * repeat the hub answers from its claim, and that two at once contend for).
     */
    static String client(String template, long n) {
        StringBuilder letters = new StringBuilder();
        for (long rest = n; rest > 0 || letters.isEmpty(); rest /= 26) {
            letters.append((char) ('a' + rest % 26));
        }
        return template.replace("CICS-2026-0001", "LAT-" + n).replace("\"Okafor\"", "\"Okafor" + letters + "\"")
                .replace("Amara.Okafor@Example.org", "client." + n + "@example.org")
                .replace("(416) 555-0123", String.format("(416) %03d-%04d", 200 + (n / 10_000) % 700, n % 10_000));
    }

    /** The rates tried for the knee, and how long each: the hub's around its range, the bare PutItem's far above. */
    static final int[] HUB_LADDER = {25, 50, 75, 100, 150, 200};
    static final int[] BARE_LADDER = {100, 200, 400, 800, 1600};
    private static final int KNEE_SECONDS = 15;

    /**
     * Each rate of the ladder in turn for {@value #KNEE_SECONDS} s, until one's p99 is above a second: answers every
     * step's p50, p99 and errors, and the knee — the first rate whose p99 crossed (null: none of them did).
     */
    private static Map<String, Object> knee(IntFunction<Boolean> call, int[] ladder) throws InterruptedException {
        List<Map<String, Object>> steps = new ArrayList<>();
        Integer knee = null;
        for (int rate : ladder) {
            double load = MachineLoad.settle("knee at " + rate + "/s");
            Load step = load(call, rate, KNEE_SECONDS);
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("rate", rate);
            at.put("loadBefore", load);
            at.put("p50Ms", Stats.percentile(step.latencies(), 50));
            at.put("p99Ms", Stats.percentile(step.latencies(), 99));
            at.put("errors", step.errors());
            steps.add(at);
            System.out.printf("knee: %d/s for %d s: p50 %.1f ms, p99 %.1f ms, %d errors%n", rate, KNEE_SECONDS,
                    (Double) at.get("p50Ms"), (Double) at.get("p99Ms"), step.errors());
            if ((Double) at.get("p99Ms") > 1000) {
                knee = rate;
                break;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("steps", steps);
        out.put("p99CrossesOneSecondAt", knee);
        return out;
    }

    /** {@code rate} calls a second for {@code seconds}, each on its own thread when due; latency counts from due. */
    private static Load load(IntFunction<Boolean> call, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long period = 1_000_000_000L / rate;
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        ExecutorService workers = Executors.newCachedThreadPool();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        clock.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= total) {
                return;
            }
            long due = start + i * period;
            workers.execute(() -> {
                try {
                    if (!call.apply(i)) {
                        errors.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                }
                latencies.add((System.nanoTime() - due) / 1e6);
                done.countDown();
            });
        }, 0, period, TimeUnit.NANOSECONDS);
        if (!done.await(seconds + 120L, TimeUnit.SECONDS)) {
            errors.addAndGet((int) done.getCount());
        }
        clock.shutdownNow();
        workers.shutdown();
        return new Load(new ArrayList<>(latencies), errors.get());
    }
}
