package org.referralhub.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BatchWritesTest {

    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> finished = new CopyOnWriteArrayList<>();

    private Runnable write(String name, CountDownLatch until) {
        return () -> {
            started.add(name);
            try {
                until.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.add(name);
        };
    }

    @Test
    void batchesOfOtherClientsAreWrittenAtOnceWhileTheReaderGoesOn() throws Exception {
        BatchWrites writes = new BatchWrites();
        CountDownLatch hold = new CountDownLatch(1);
        writes.submit(Set.of("a"), write("first", hold));
        writes.submit(Set.of("b"), write("second", hold));
        writes.submit(Set.of("c"), write("third", hold));

        // the reader was handed back at once each time; the three are being written together
        waitFor(() -> started.size() == 3);
        assertThat(finished).isEmpty();
        hold.countDown();
        writes.awaitAll();
        assertThat(finished).containsExactlyInAnyOrder("first", "second", "third");
    }

    @Test
    void aBatchNamingAClientOfABatchStillBeingWrittenWaitsForItSoTheEarlierRowHoldsTheReferral() throws Exception {
        BatchWrites writes = new BatchWrites();
        CountDownLatch holdEarlier = new CountDownLatch(1);
        writes.submit(Set.of("client-1", "client-2"), write("rows 1-100", holdEarlier));
        Thread reader = new Thread(() -> writes.submit(Set.of("client-9", "client-2"), write("rows 101-200",
                new CountDownLatch(0))));
        reader.start();

        Thread.sleep(200);
        assertThat(started).as("the later batch waits while the earlier one is written").containsExactly("rows 1-100");
        holdEarlier.countDown();
        reader.join(10_000);
        writes.awaitAll();
        assertThat(finished).containsExactly("rows 1-100", "rows 101-200");
    }

    @Test
    void noMoreThanFourAtOnce() throws Exception {
        BatchWrites writes = new BatchWrites();
        CountDownLatch hold = new CountDownLatch(1);
        for (int i = 0; i < BatchWrites.WRITERS; i++) {
            writes.submit(Set.of("k" + i), write("batch " + i, hold));
        }
        Thread reader = new Thread(() -> writes.submit(Set.of("k9"), write("fifth", new CountDownLatch(0))));
        reader.start();
        waitFor(() -> started.size() == BatchWrites.WRITERS);
        Thread.sleep(200);
        assertThat(started).doesNotContain("fifth");
        hold.countDown();
        reader.join(10_000);
        writes.awaitAll();
        assertThat(finished).hasSize(BatchWrites.WRITERS + 1);
    }

    @Test
    void aWriteThatFailedFailsTheImportOnceEveryWriteBegunHasFinished() {
        BatchWrites writes = new BatchWrites();
        CountDownLatch hold = new CountDownLatch(1);
        writes.submit(Set.of("a"), () -> {
            throw new IllegalStateException("the table refused the batch");
        });
        writes.submit(Set.of("b"), write("other", hold));
        hold.countDown();

        assertThatThrownBy(writes::awaitAll).hasMessage("the table refused the batch");
        assertThat(finished).as("the other write was let finish first").containsExactly("other");
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
