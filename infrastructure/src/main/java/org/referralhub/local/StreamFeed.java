package org.referralhub.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.referralhub.functions.DispatchStreamFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What Lambda's event source mapping does in AWS, done locally: reads the referrals table's stream in DynamoDB
 * Local and invokes the same {@link DispatchStreamFunction} with the same {@link DynamodbEvent}s. A batch whose
 * handler reports failures is offered again from the first failed record. It starts at the stream's end: anything
 * pending from before a restart is found by the dispatch sweep, which reads the table, not the stream.
 */
final class StreamFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamFeed.class);
    /** As template.yaml's MaximumRetryAttempts: then the batch is dropped; the sweep still finds pending deliveries. */
    private static final int MAX_RETRIES = 10;
    /**
     * Records read at once. Lambda filters before it batches (template.yaml: 40 pending referrals a batch); here the
     * handler filters, and a referral leaves about three records (stored, leased, delivered), so 100 come near it.
     */
    static final int BATCH_SIZE = 100;
    /**
     * As template.yaml's ParallelizationFactor: up to four batches of one shard handled at once, each item's records
     * in one of them, in order.
     */
    static final int PARALLELIZATION = 4;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final DispatchStreamFunction handler;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-stream-feed");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService lanes = Executors.newFixedThreadPool(PARALLELIZATION, r -> {
        Thread t = new Thread(r, "local-stream-lane");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> iterators = new HashMap<>();
    private volatile boolean held;
    private final Map<String, List<Record>> retries = new HashMap<>();
    private final Map<String, Integer> retryCounts = new HashMap<>();

    StreamFeed(DynamoDbStreamsClient streams, String streamArn, DispatchStreamFunction handler) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.handler = handler;
    }

    StreamFeed start(long intervalMillis) {
        for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
            iterators.put(shard.shardId(), streams.getShardIterator(r -> r.streamArn(streamArn)
                    .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.LATEST)).shardIterator());
        }
        poller.scheduleWithFixedDelay(this::pollSafely, 0, intervalMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Stops handing records to the function, as disabling an event source mapping does: they wait in the stream
     * (DynamoDB keeps a day of it) and are read from where it stopped once {@link #release released}.
     */
    void hold() {
        held = true;
    }

    void release() {
        held = false;
    }

    /** As Lambda's poller does: while the stream has records for it, it reads on at once; then it waits. */
    private void pollSafely() {
        if (held) {
            return;
        }
        try {
            while (!held && poll() && !Thread.currentThread().isInterrupted()) {
                LOG.trace("stream feed reading on");
            }
        } catch (RuntimeException e) {
            LOG.warn("stream feed poll failed: {}", e.getClass().getSimpleName());
        }
    }

    /** One read of every shard, its batch handed to the function; true when records came and none failed. */
    private boolean poll() {
        boolean more = false;
        refreshShards();
        for (Map.Entry<String, String> entry : new ArrayList<>(iterators.entrySet())) {
            String shardId = entry.getKey();
            List<Record> batch = new ArrayList<>(retries.getOrDefault(shardId, List.of()));
            if (entry.getValue() != null) {
                GetRecordsResponse response = streams.getRecords(r -> r.shardIterator(entry.getValue())
                        .limit(BATCH_SIZE * PARALLELIZATION));
                batch.addAll(response.records());
                iterators.put(shardId, response.nextShardIterator());
                more |= !response.records().isEmpty();
            }
            if (batch.isEmpty()) {
                continue;
            }
            List<Record> failed = handleInLanes(batch);
            int tries = failed.isEmpty() ? 0 : retryCounts.merge(shardId, 1, Integer::sum);
            if (failed.isEmpty() || tries > MAX_RETRIES) {
                if (!failed.isEmpty()) {
                    LOG.warn("dropping {} stream records of shard {} after {} retries; the dispatch sweep takes over",
                            failed.size(), shardId, MAX_RETRIES);
                }
                retries.remove(shardId);
                retryCounts.remove(shardId);
            } else {
                retries.put(shardId, failed);
                more = false;
            }
        }
        return more && retries.isEmpty();
    }

    private void refreshShards() {
        for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
            if (!iterators.containsKey(shard.shardId())) {
                iterators.put(shard.shardId(), streams.getShardIterator(r -> r.streamArn(streamArn)
                        .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
            }
        }
    }

    /**
     * The records in lanes by item key, each lane's in batches one after another, the lanes at once; answers the
     * records to offer again: in each lane, from its first batch that reported a failure on.
     */
    private List<Record> handleInLanes(List<Record> records) {
        List<List<Record>> byLane = new ArrayList<>();
        for (int i = 0; i < PARALLELIZATION; i++) {
            byLane.add(new ArrayList<>());
        }
        for (Record record : records) {
            var key = record.dynamodb().keys().get("pk");
            byLane.get(Math.floorMod(key == null ? 0 : key.s().hashCode(), PARALLELIZATION)).add(record);
        }
        List<Future<List<Record>>> running = new ArrayList<>();
        for (List<Record> lane : byLane) {
            if (!lane.isEmpty()) {
                running.add(lanes.submit(() -> handleLane(lane)));
            }
        }
        List<Record> failed = new ArrayList<>();
        for (Future<List<Record>> lane : running) {
            try {
                failed.addAll(lane.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the dispatcher ran", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the dispatcher failed", e.getCause());
            }
        }
        failed.sort(Comparator.comparing(r -> r.dynamodb().sequenceNumber()));
        return failed;
    }

    private List<Record> handleLane(List<Record> lane) {
        for (int from = 0; from < lane.size(); from += BATCH_SIZE) {
            List<Record> batch = lane.subList(from, Math.min(lane.size(), from + BATCH_SIZE));
            List<Record> failed = failedFrom(batch,
                    handler.handleRequest(event(batch), new LocalLambdaContext("dispatch-stream")));
            if (!failed.isEmpty()) {
                List<Record> again = new ArrayList<>(failed);
                again.addAll(lane.subList(from + batch.size(), lane.size()));
                return again;
            }
        }
        return List.of();
    }

    /** As Lambda does: the batch is retried from the lowest failed sequence number. */
    private static List<Record> failedFrom(List<Record> batch, StreamsEventResponse result) {
        if (result == null || result.getBatchItemFailures() == null || result.getBatchItemFailures().isEmpty()) {
            return List.of();
        }
        String lowest = result.getBatchItemFailures().stream().map(f -> f.getItemIdentifier()).min(String::compareTo).get();
        return batch.stream().filter(r -> r.dynamodb().sequenceNumber().compareTo(lowest) >= 0).toList();
    }

    private DynamodbEvent event(List<Record> records) {
        DynamodbEvent event = new DynamodbEvent();
        List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>();
        for (Record r : records) {
            DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
            record.setEventID(r.eventID());
            record.setEventName(r.eventNameAsString());
            record.setEventVersion(r.eventVersion());
            record.setEventSource("aws:dynamodb");
            record.setAwsRegion(r.awsRegion());
            record.setEventSourceARN(streamArn);
            StreamRecord data = new StreamRecord();
            data.setSequenceNumber(r.dynamodb().sequenceNumber());
            data.setSizeBytes(r.dynamodb().sizeBytes());
            data.setStreamViewType(StreamViewType.fromValue(r.dynamodb().streamViewTypeAsString()));
            if (r.dynamodb().approximateCreationDateTime() != null) {
                data.setApproximateCreationDateTime(Date.from(r.dynamodb().approximateCreationDateTime()));
            }
            data.setKeys(convert(r.dynamodb().keys()));
            if (r.dynamodb().hasNewImage()) {
                data.setNewImage(convert(r.dynamodb().newImage()));
            }
            if (r.dynamodb().hasOldImage()) {
                data.setOldImage(convert(r.dynamodb().oldImage()));
            }
            record.setDynamodb(data);
            converted.add(record);
        }
        event.setRecords(converted);
        return event;
    }

    private static Map<String, AttributeValue> convert(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> image) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        image.forEach((k, v) -> out.put(k, convert(v)));
        return out;
    }

    private static AttributeValue convert(software.amazon.awssdk.services.dynamodb.model.AttributeValue v) {
        AttributeValue out = new AttributeValue();
        if (v.s() != null) {
            out.setS(v.s());
        } else if (v.n() != null) {
            out.setN(v.n());
        } else if (v.bool() != null) {
            out.setBOOL(v.bool());
        } else if (Boolean.TRUE.equals(v.nul())) {
            out.setNULL(true);
        } else if (v.hasM()) {
            out.setM(convert(v.m()));
        } else if (v.hasL()) {
            out.setL(v.l().stream().map(StreamFeed::convert).toList());
        } else if (v.hasSs()) {
            out.setSS(v.ss());
        } else if (v.hasNs()) {
            out.setNS(v.ns());
        } else if (v.b() != null) {
            out.setB(v.b().asByteBuffer());
        }
        return out;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        lanes.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
            lanes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
