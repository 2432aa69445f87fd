package dev.dynamo.node.simulation;

import static dev.dynamo.core.version.ConflictPolicy.SIBLINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.node.transfer.TransferProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A partition streamed from node1 (the source, holding siblings and tombstones) to node2 (the new
 * owner) while live writes hit node2, on the simulated network and virtual clock, with the
 * production transfer settings of {@link SimulatedNode#TRANSFER}: the new owner ends with the causal
 * merge of both for every key, at the configured rate, and a crash of either side costs at most
 * one batch sent again. While client requests on the receiver are slow, no batch moves; once they
 * are fast again, the transfer completes.
 */
class PartitionTransferSimulationTest {

    private static final int PARTITIONS = 8;
    private static final int PARTITION = 3;
    private static final PartitionRange RANGE = new PartitionRange(PARTITIONS, PARTITION);
    private static final int KEYS = 5_000;
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final long RATE = SimulatedNode.TRANSFER.maxBytesPerSecond().toBytes();
    private static final int BATCH_KEYS = SimulatedNode.TRANSFER.batchKeys();

    private final long seed = 42;
    private final SimulatedCluster cluster = new SimulatedCluster(seed, 2, PARTITIONS);
    private final Random random = cluster.random();
    private final SimulatedNode source = cluster.node(1);
    private final SimulatedNode receiver = cluster.node(2);
    /** The source's state of every key of the partition. */
    private final Map<StorageKey, VersionedValue> atSource = new LinkedHashMap<>();
    /** What the live writes alone made of each key they wrote on the receiver. */
    private final Map<StorageKey, VersionedValue> written = new HashMap<>();
    private final List<StorageKey> keys = new ArrayList<>();
    private long sourceBytes;
    private boolean writing;

    @Test
    void theNewOwnerEndsWithTheCausalMergeOfTheSourceAndItsLiveWritesAtTheConfiguredRate() {
        fillSource(RANGE, KEYS);
        writeLiveUntilDone();
        Duration started = cluster.scheduler().elapsed();
        CompletableFuture<Void> done = receiver.transfers().start(PARTITION, source.member());

        runUntil(() -> progress().keysDone() >= KEYS / 2);
        TransferProgress midway = progress();
        cluster.await(done, LIMIT);
        Duration took = cluster.scheduler().elapsed().minus(started);

        assertEveryKeyIsTheMergeOfSourceAndLiveWrites();
        assertThat(written).as("live writes").hasSizeGreaterThan(500);
        assertThat(source.partitionSource().entriesServed()).as("entries sent").isEqualTo(KEYS);
        assertThat(progress()).extracting(TransferProgress::state, TransferProgress::keysDone,
                TransferProgress::keysTotal, TransferProgress::bytesDone, TransferProgress::etaSeconds)
                .containsExactly("DONE", (long) KEYS, (long) KEYS, sourceBytes, 0L);
        // sized up from its first 4,096 entries' share of the partition's positions
        assertThat((double) midway.keysTotal()).as("estimated keys").isCloseTo(KEYS, within(KEYS * 0.1));
        assertThat((double) midway.bytesTotal()).as("estimated bytes").isCloseTo(sourceBytes, within(sourceBytes * 0.1));
        assertThat((double) midway.bytesPerSecond()).as("rate midway").isCloseTo(RATE, within(RATE * 0.15));
        assertThat(midway.etaSeconds()).isNotNull();
        // the first batch goes at once, each next one when the bucket has paid for the last
        double seconds = took.toNanos() / 1e9;
        long batchBytes = SimulatedNode.TRANSFER.batchBytes().toBytes();
        assertThat((double) sourceBytes).as("bytes in %.2f s", seconds)
                .isLessThanOrEqualTo(RATE * seconds + batchBytes)
                .isGreaterThan(RATE * seconds * 0.9);
    }

    @Test
    void aReceiverThatCrashesResumesFromItsKeptCursorNotFromTheStart() {
        fillSource(RANGE, KEYS);
        writeLiveUntilDone();
        receiver.transfers().start(PARTITION, source.member());
        runUntil(() -> progress().keysDone() >= 2_000);

        receiver.crash();
        cluster.scheduler().runFor(Duration.ofSeconds(3));
        cluster.restart(receiver);
        long resumedFrom = progress().keysDone();
        CompletableFuture<Void> done = receiver.transfers().start(PARTITION, source.member()); // already there
        cluster.await(done, LIMIT);

        assertThat(resumedFrom).as("kept count after restart").isGreaterThanOrEqualTo(2_000);
        assertThat(source.partitionSource().entriesServed() - KEYS).as("entries sent again")
                .isBetween(0L, (long) BATCH_KEYS);
        assertThat(receiver.transfers().progress()).singleElement().extracting(TransferProgress::keysDone)
                .isEqualTo((long) KEYS);
        assertEveryKeyIsTheMergeOfSourceAndLiveWrites();
    }

    @Test
    void aTransferWhoseSourceIsDownRetriesUntilItReturns() {
        fillSource(RANGE, KEYS);
        writeLiveUntilDone();
        CompletableFuture<Void> done = receiver.transfers().start(PARTITION, source.member());
        runUntil(() -> progress().keysDone() >= 1_500);

        source.crash();
        runUntil(() -> progress().failures() >= 3);
        TransferProgress failing = progress();
        cluster.scheduler().runFor(Duration.ofSeconds(5));
        assertThat(done).isNotDone();
        cluster.restart(source);
        cluster.await(done, LIMIT);

        assertThat(failing.state()).isEqualTo("FAILED");
        assertThat(failing.lastError()).contains("refused");
        assertThat(progress()).extracting(TransferProgress::state, TransferProgress::failures)
                .containsExactly("DONE", 0);
        assertEveryKeyIsTheMergeOfSourceAndLiveWrites();
    }

    @Test
    void atMostTheConfiguredNumberStreamAtOnceAndStartingAgainDoesNothing() {
        for (int p = 0; p < 4; p++) {
            fillSource(new PartitionRange(PARTITIONS, p), 300);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            done.add(receiver.transfers().start(p, source.member()));
        }
        receiver.transfers().start(0, cluster.node(2).member()); // exists: ignored, source unchanged
        int[] mostStreaming = {0};
        runUntil(() -> {
            long streaming = receiver.transfers().progress().stream().filter(t -> t.state().equals("STREAMING")).count();
            mostStreaming[0] = Math.max(mostStreaming[0], (int) streaming);
            return done.stream().allMatch(CompletableFuture::isDone);
        });
        long served = source.partitionSource().entriesServed();
        CompletableFuture<Void> again = receiver.transfers().start(1, source.member());
        cluster.scheduler().runFor(Duration.ofSeconds(1));

        assertThat(mostStreaming[0]).isEqualTo(SimulatedNode.TRANSFER.concurrency());
        assertThat(receiver.transfers().progress()).extracting(TransferProgress::partition, TransferProgress::source)
                .containsExactly(tuple(0, "node1"), tuple(1, "node1"), tuple(2, "node1"), tuple(3, "node1"));
        assertThat(again).isCompleted();
        assertThat(source.partitionSource().entriesServed()).as("nothing sent again").isEqualTo(served);
        assertEveryKeyIsTheMergeOfSourceAndLiveWrites();
    }

    @Test
    void aTransferPausesWhileClientRequestsAreSlowMovesABatchPerMaxYieldAndCompletesOnceTheyAreFast() {
        fillSource(RANGE, 1_000);
        // client requests through the receiver (to keys of other partitions), each waiting on the source 100 ms
        // or more away: p99 far above 50 ms
        cluster.network().delays(Duration.ofMillis(100), Duration.ofMillis(120));
        for (int i = 0; i < 30; i++) {
            StorageKey key = SimulatedCluster.key("foreground-" + i);
            if (!RANGE.contains(key.position())) {
                cluster.await(receiver.coordinator().write(key, null, new Content(new byte[] {1}, null, i, false),
                        SimulatedCluster.W), LIMIT);
            }
        }
        cluster.network().calm();
        Duration limit = SimulatedNode.TRANSFER.maxForegroundLatency();
        assertThat(receiver.metrics().recentRequestLatency()).isGreaterThan(limit);

        CompletableFuture<Void> done = receiver.transfers().start(PARTITION, source.member());
        Duration slow = Duration.ofSeconds(10);
        cluster.scheduler().runFor(slow);
        assertThat(source.partitionSource().entriesServed()).as("entries sent while requests are slow").isZero();
        assertThat(progress()).extracting(TransferProgress::state, TransferProgress::keysDone)
                .containsExactly("STREAMING", 0L);
        long deferrals = receiver.transfers().deferrals();
        long checks = slow.dividedBy(SimulatedNode.TRANSFER.retryBackoff());
        assertThat(deferrals).as("a pause per retry-backoff").isBetween(checks - 1, checks + 1);

        // still slow at max-yield: one batch moves anyway, so a ring change on a busy cluster does not stall
        cluster.scheduler().runFor(SimulatedNode.TRANSFER.maxYield().minus(slow).plus(SimulatedNode.TRANSFER.retryBackoff()));
        assertThat(receiver.metrics().recentRequestLatency()).isGreaterThan(limit);
        assertThat(source.partitionSource().entriesServed()).as("one batch sent after yielding for max-yield")
                .isPositive().isLessThanOrEqualTo(SimulatedNode.TRANSFER.batchKeys());

        // the slow requests leave the latency window (two minutes) and the transfer goes on from where it paused
        cluster.await(done, Duration.ofMinutes(3));
        assertThat(receiver.metrics().recentRequestLatency()).isLessThanOrEqualTo(limit);
        assertThat(progress()).extracting(TransferProgress::state, TransferProgress::keysDone)
                .containsExactly("DONE", 1_000L);
        assertThat(source.partitionSource().entriesServed()).as("every entry sent once").isEqualTo(1_000);
        assertEveryKeyIsTheMergeOfSourceAndLiveWrites();
    }

    /** Writes {@code count} keys of {@code range} on the source: one write, some siblings, some deleted or rewritten. */
    private void fillSource(PartitionRange range, int count) {
        int made = 0;
        for (int i = 0; made < count; i++) {
            StorageKey key = SimulatedCluster.key("p" + range.partition() + "-" + i);
            if (!range.contains(key.position())) {
                continue;
            }
            VersionedValue state = VersionedValue.empty().put(VersionVector.empty(), "a@1", content(), SIBLINGS);
            if (random.nextInt(3) == 0) {
                state = state.put(VersionVector.empty(), "b@1", content(), SIBLINGS); // concurrent: siblings
            }
            if (random.nextInt(5) == 0) {
                state = state.put(state.clock(), "c@1", Content.tombstone(7), SIBLINGS); // deleted
            } else if (random.nextInt(5) == 0) {
                state = state.put(state.clock(), "a@1", content(), SIBLINGS); // rewritten
            }
            source.replica().merge(key, state, SIBLINGS).join();
            atSource.put(key, state);
            keys.add(key);
            sourceBytes += key.encode().length + VersionedValueCodec.encode(state).length;
            made++;
        }
    }

    /**
     * Every 2 ms of virtual time, while the receiver is up and until its transfers are done, a live
     * write on the receiver to a key of the partition: blind (a sibling of what the source has), or
     * superseding the source's versions, or deleting them.
     */
    private void writeLiveUntilDone() {
        writing = true;
        cluster.scheduler().schedule(Duration.ofMillis(2), this::writeLive);
    }

    private void writeLive() {
        if (!writing) {
            return;
        }
        if (receiver.isUp()) {
            if (!receiver.transfers().progress().isEmpty()
                    && receiver.transfers().progress().stream().allMatch(t -> t.state().equals("DONE"))) {
                writing = false;
                return;
            }
            StorageKey key = keys.get(random.nextInt(keys.size()));
            VersionVector context = switch (random.nextInt(3)) {
                case 0 -> VersionVector.empty();
                default -> atSource.get(key).clock();
            };
            Content content = random.nextInt(4) == 0 ? Content.tombstone(0) : content();
            Content stamped = new Content(content.value(), content.contentType(), cluster.scheduler().millis(),
                    content.tombstone());
            receiver.replica().write(key, context, content, SIBLINGS);
            written.put(key, written.getOrDefault(key, VersionedValue.empty())
                    .put(context, receiver.id() + "@1", stamped, SIBLINGS));
        }
        cluster.scheduler().schedule(Duration.ofMillis(2), this::writeLive);
    }

    private Content content() {
        byte[] value = new byte[20 + random.nextInt(180)];
        random.nextBytes(value);
        return new Content(value, "application/octet-stream", 1_000 + random.nextInt(1_000), false);
    }

    private void assertEveryKeyIsTheMergeOfSourceAndLiveWrites() {
        assertThat(atSource.values().stream().filter(v -> v.siblings().size() > 1)).as("siblings at the source")
                .isNotEmpty();
        assertThat(atSource.values().stream().filter(VersionedValue::isAbsent)).as("tombstones at the source")
                .isNotEmpty();
        for (StorageKey key : keys) {
            VersionedValue expected = atSource.get(key).merge(written.getOrDefault(key, VersionedValue.empty()), SIBLINGS);
            assertThat(receiver.stored(key)).as("seed %d: %s", seed, key).isEqualTo(expected);
        }
    }

    private TransferProgress progress() {
        return receiver.transfers().progress().stream().filter(t -> t.partition() == PARTITION).findFirst()
                .orElseThrow();
    }

    private void runUntil(BooleanSupplier condition) {
        if (!cluster.scheduler().runUntil(condition, LIMIT)) {
            throw new AssertionError("seed " + seed + ": not reached within " + LIMIT + "\n" + cluster.trace().tail());
        }
    }
}
