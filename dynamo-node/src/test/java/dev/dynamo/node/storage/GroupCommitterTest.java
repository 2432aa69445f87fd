package dev.dynamo.node.storage;

import static dev.dynamo.node.storage.StorageTestSupport.SECONDS;
import static dev.dynamo.node.storage.StorageTestSupport.await;
import static dev.dynamo.node.storage.StorageTestSupport.awaitLatch;
import static dev.dynamo.node.storage.StorageTestSupport.bytes;
import static dev.dynamo.node.storage.StorageEngine.Namespace.DATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.node.storage.GroupCommitter.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batching, backpressure and sync timing of the writer, against a store that only records. */
class GroupCommitterTest {

    /** Records commits and syncs; can hold its next read to let updates queue up. */
    static final class RecordingTarget implements GroupCommitter.Target {
        final List<List<Write>> commits = new CopyOnWriteArrayList<>();
        final AtomicInteger syncs = new AtomicInteger();
        final CountDownLatch readHeld = new CountDownLatch(1);
        final CountDownLatch readReleased = new CountDownLatch(1);
        final CountDownLatch synced = new CountDownLatch(1);
        volatile boolean holdNextRead;
        volatile RuntimeException commitFailure;
        private final ConcurrentHashMap<String, byte[]> stored = new ConcurrentHashMap<>();

        @Override
        public byte[] read(StorageEngine.Namespace namespace, byte[] key) {
            if (holdNextRead) {
                holdNextRead = false;
                readHeld.countDown();
                awaitLatch(readReleased);
            }
            return stored.get(new String(key));
        }

        @Override
        public void commit(List<Write> writes) {
            if (commitFailure != null) {
                throw commitFailure;
            }
            writes.forEach(write -> stored.compute(new String(write.key()), (k, v) -> write.value()));
            commits.add(writes);
        }

        @Override
        public void sync() {
            syncs.incrementAndGet();
            synced.countDown();
        }
    }

    private final RecordingTarget target = new RecordingTarget();
    private final List<GroupCommitter> committers = new ArrayList<>();

    GroupCommitter committer(SyncPolicy sync, Duration interval, int capacity, Duration saturationWait) {
        GroupCommitter committer = new GroupCommitter("test-writer", target, sync, interval, capacity, saturationWait);
        committers.add(committer);
        return committer;
    }

    GroupCommitter committer(SyncPolicy sync) {
        return committer(sync, Duration.ofMillis(10), GroupCommitter.DEFAULT_CAPACITY, Duration.ofSeconds(SECONDS));
    }

    @AfterEach
    void release() {
        target.readReleased.countDown();
        committers.forEach(GroupCommitter::close);
    }

    /** Submits one update and waits until the writer is stuck reading for it. */
    CompletableFuture<byte[]> holdTheWriter(GroupCommitter committer) {
        target.holdNextRead = true;
        CompletableFuture<byte[]> held = committer.submit(DATA, bytes("held"), null, current -> bytes("h"));
        awaitLatch(target.readHeld);
        return held;
    }

    @Test
    void updatesQueuedTogetherShareOneCommit() {
        GroupCommitter committer = committer(SyncPolicy.NEVER);
        List<CompletableFuture<byte[]>> futures = new ArrayList<>(List.of(holdTheWriter(committer)));
        for (int i = 0; i < 500; i++) {
            futures.add(committer.submit(DATA, bytes("k" + i % 50), null, increment()));
        }
        target.readReleased.countDown();
        futures.forEach(StorageTestSupport::await);
        assertThat(target.commits).hasSize(1);
        assertThat(target.commits.get(0)).hasSize(51); // one final write per key
        assertThat(await(futures.get(500))).containsExactly(10); // the tenth increment of its key
    }

    @Test
    void aBatchHoldsAtMostTheUpdateCap() {
        GroupCommitter committer = committer(SyncPolicy.NEVER);
        List<CompletableFuture<byte[]>> futures = new ArrayList<>(List.of(holdTheWriter(committer)));
        for (int i = 1; i < 3_000; i++) {
            futures.add(committer.submit(DATA, bytes("k" + i), null, current -> bytes("v")));
        }
        target.readReleased.countDown();
        futures.forEach(StorageTestSupport::await);
        assertThat(target.commits).extracting(List::size)
                .containsExactly(GroupCommitter.MAX_BATCH_UPDATES, GroupCommitter.MAX_BATCH_UPDATES, 3_000 - 2 * GroupCommitter.MAX_BATCH_UPDATES);
    }

    @Test
    void aFullQueueMakesCallersWaitThenFails() {
        GroupCommitter committer = committer(SyncPolicy.NEVER, null, 4, Duration.ofMillis(50));
        CompletableFuture<byte[]> held = holdTheWriter(committer);
        List<CompletableFuture<byte[]>> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(committer.submit(DATA, bytes("k" + i), null, current -> bytes("v")));
        }
        CompletableFuture<byte[]> refused = committer.submit(DATA, bytes("one too many"), null, current -> bytes("v"));
        assertThatThrownBy(() -> refused.get(SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StorageException.class).hasMessageContaining("saturated");
        target.readReleased.countDown();
        await(held);
        queued.forEach(StorageTestSupport::await);
    }

    @Test
    void aFailedCommitFailsItsWholeBatchAndTheWriterCarriesOn() {
        GroupCommitter committer = committer(SyncPolicy.NEVER);
        CompletableFuture<byte[]> held = holdTheWriter(committer);
        CompletableFuture<byte[]> sameBatch = committer.submit(DATA, bytes("k"), null, current -> bytes("v"));
        target.commitFailure = new StorageFullException("full", null);
        target.readReleased.countDown();
        assertThatThrownBy(() -> held.get(SECONDS, TimeUnit.SECONDS)).hasCause(target.commitFailure);
        assertThatThrownBy(() -> sameBatch.get(SECONDS, TimeUnit.SECONDS)).hasCause(target.commitFailure);
        target.commitFailure = null;
        assertThat(await(committer.submit(DATA, bytes("k"), null, current -> current == null ? bytes("fresh") : current)))
                .isEqualTo(bytes("fresh"));
    }

    @Test
    void intervalSyncsOnItsTimer() {
        GroupCommitter committer = committer(SyncPolicy.INTERVAL);
        await(committer.submit(DATA, bytes("k"), null, current -> bytes("v")));
        awaitLatch(target.synced);
    }

    @Test
    void intervalSyncsWhatIsLeftAtClose() {
        GroupCommitter committer = committer(SyncPolicy.INTERVAL, Duration.ofHours(1), 16, Duration.ofSeconds(SECONDS));
        await(committer.submit(DATA, bytes("k"), null, current -> bytes("v")));
        assertThat(target.syncs.get()).isZero();
        committer.close();
        assertThat(target.syncs.get()).isEqualTo(1);
    }

    @Test
    void alwaysLeavesSyncingToTheCommitAndSyncsOnceMoreAtClose() {
        GroupCommitter committer = committer(SyncPolicy.ALWAYS);
        await(committer.submit(DATA, bytes("k"), null, current -> bytes("v")));
        assertThat(target.syncs.get()).isZero();
        committer.close();
        assertThat(target.syncs.get()).isEqualTo(1);
    }

    @Test
    void neverSyncsNotEvenAtClose() {
        GroupCommitter committer = committer(SyncPolicy.NEVER);
        await(committer.submit(DATA, bytes("k"), null, current -> bytes("v")));
        committer.close();
        assertThat(target.syncs.get()).isZero();
    }

    @Test
    void intervalNeedsAnInterval() {
        assertThatThrownBy(() -> committer(SyncPolicy.INTERVAL, Duration.ZERO, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INTERVAL");
    }

    private static UnaryOperator<byte[]> increment() {
        return current -> new byte[] {(byte) (current == null ? 1 : current[0] + 1)};
    }
}
