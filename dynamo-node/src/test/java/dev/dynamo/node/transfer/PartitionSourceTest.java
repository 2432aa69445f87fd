package dev.dynamo.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.Message.PartitionEntries;
import dev.dynamo.core.wire.Message.PartitionEntries.Entry;
import dev.dynamo.core.wire.Message.PartitionRead;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.MemoryStorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionSourceTest {

    private static final PartitionRange RANGE = new PartitionRange(4, 1);
    /** Runs every task at once, on the caller's thread. */
    private static final Scheduler AT_ONCE = (delay, task) -> {
        task.run();
        return () -> { };
    };

    private final MemoryStorageEngine engine = new MemoryStorageEngine(256L << 20);
    /** A message holds up to 64 KiB. */
    private static final int MAX_MESSAGE = 64 << 10;

    private final PartitionSource source = new PartitionSource(engine, AT_ONCE, MAX_MESSAGE);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void batchesFollowTheCursorStayInThePartitionAndSayWhenItIsExhausted() {
        List<StorageKey> stored = fill(RANGE, 25, 10);
        fill(new PartitionRange(4, 0), 5, 10);
        fill(new PartitionRange(4, 2), 5, 10);

        List<StorageKey> received = new ArrayList<>();
        StorageKey after = null;
        int batches = 0;
        PartitionEntries batch;
        do {
            batch = read(new PartitionRead(RANGE, after, 10, 1 << 20));
            batch.entries().forEach(e -> received.add(StorageKey.decode(e.key())));
            after = received.getLast();
            assertThat(batch.estimate() != null).as("estimate in batch %d", batches).isEqualTo(batches == 0);
            batches++;
        } while (!batch.exhausted());

        assertThat(received).isEqualTo(stored);
        assertThat(batches).isEqualTo(3);
        assertThat(source.entriesServed()).isEqualTo(25);
    }

    @Test
    void aBatchStopsBeforeTheEntryThatWouldPassItsBytesButAlwaysHoldsOne() {
        fill(RANGE, 10, 100);
        PartitionEntries one = read(new PartitionRead(RANGE, null, 100, 1));
        assertThat(one.entries()).hasSize(1);
        assertThat(one.exhausted()).isFalse();
        int entry = one.entries().getFirst().size();

        PartitionEntries three = read(new PartitionRead(RANGE, null, 100, 3 * entry + entry / 2));
        assertThat(three.entries()).hasSize(3);
        assertThat(three.entries().stream().mapToInt(Entry::size).sum()).isLessThanOrEqualTo(3 * entry + entry / 2);
    }

    @Test
    void anEntryTooLargeForAMessageIsNamedNotSentAndTheBatchGoesOnPastIt() {
        List<StorageKey> stored = fill(RANGE, 3, 10);
        StorageKey large = java.util.stream.IntStream.iterate(0, i -> i + 1)
                .mapToObj(i -> StorageKey.of("large", ("x" + i).getBytes(StandardCharsets.UTF_8)))
                .filter(key -> RANGE.contains(key.position())).findFirst().orElseThrow();
        engine.put(Namespace.DATA, large.encode(), new byte[MAX_MESSAGE]).join();

        PartitionEntries batch = read(new PartitionRead(RANGE, null, 10, 1 << 20));

        assertThat(batch.entries()).extracting(e -> StorageKey.decode(e.key())).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(batch.unsent()).containsExactly(new PartitionEntries.Unsent(large.encode(),
                large.encode().length + MAX_MESSAGE));
        assertThat(batch.exhausted()).isTrue();
    }

    @Test
    void anEmptyPartitionIsOneExhaustedBatchEstimatedAtNothing() {
        fill(new PartitionRange(4, 0), 5, 10);
        PartitionEntries batch = read(new PartitionRead(RANGE, null, 10, 1000));
        assertThat(batch.entries()).isEmpty();
        assertThat(batch.exhausted()).isTrue();
        assertThat(batch.estimate()).isEqualTo(new PartitionEntries.Estimate(0, 0));
    }

    @Test
    void theEstimateIsExactForASmallPartitionAndCloseForALargeOne() {
        fill(RANGE, 1_000, 50);
        long bytes = bytes(RANGE);
        assertThat(source.estimate(RANGE)).isEqualTo(new PartitionEntries.Estimate(1_000, bytes));

        PartitionRange large = new PartitionRange(4, 2);
        fill(large, 40_000, 10);
        PartitionEntries.Estimate estimate = source.estimate(large);
        assertThat((double) estimate.keys()).isCloseTo(40_000, within(40_000 * 0.05));
        assertThat((double) estimate.bytes()).isCloseTo(bytes(large), within(bytes(large) * 0.05));
    }

    private PartitionEntries read(PartitionRead request) {
        Message reply = source.serve(request).join();
        return (PartitionEntries) reply;
    }

    /** Stores {@code count} keys of {@code range} with values of {@code size} bytes; returns them in stored order. */
    private List<StorageKey> fill(PartitionRange range, int count, int size) {
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            StorageKey key = StorageKey.of("b", ("k" + range.partition() + "-" + i).getBytes(StandardCharsets.UTF_8));
            if (range.contains(key.position())) {
                engine.put(Namespace.DATA, key.encode(), new byte[size]).join();
                keys.add(key);
            }
        }
        keys.sort((a, b) -> Arrays.compareUnsigned(a.encode(), b.encode()));
        return keys;
    }

    private long bytes(PartitionRange range) {
        long[] bytes = {0};
        engine.scan(Namespace.DATA, range.start(), range.end(), (key, value) -> {
            bytes[0] += key.length + value.length;
            return true;
        });
        return bytes[0];
    }
}
