package dev.dynamo.node.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.antientropy.PartitionTree;
import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.Message.Failure;
import dev.dynamo.core.wire.Message.LeafRead;
import dev.dynamo.core.wire.Message.LeafVersions;
import dev.dynamo.core.wire.Message.TreeHashes;
import dev.dynamo.core.wire.Message.TreeRead;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.scheduling.Ticker;
import dev.dynamo.node.storage.MemoryStorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import dev.dynamo.node.storage.VersionedStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Trees moved by the versioned store's writes equal trees built from what the store holds. */
class PartitionTreesTest {

    private static final int PARTITIONS = 16;
    private static final int DEPTH = 2;

    /** Runs each task when it is scheduled, or later when asked to. */
    private final List<Runnable> pending = new ArrayList<>();
    private final Scheduler deferred = (delay, task) -> {
        pending.add(task);
        return () -> pending.remove(task);
    };
    /** A monotonic clock that never moves: every tombstone is held for exactly zero. */
    private static final Ticker STOPPED = () -> 0;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DynamoMetrics metrics = new DynamoMetrics(meters);
    private final MemoryStorageEngine engine = new MemoryStorageEngine(1L << 30);

    @Test
    void treesMaintainedByWritesEqualTreesBuiltFromStorage() {
        PartitionTrees maintained = new PartitionTrees(engine, deferred, PARTITIONS, DEPTH, STOPPED, InstantSource.system(), metrics);
        VersionedStore store = new VersionedStore(engine, "a@1", InstantSource.system(), maintained);
        Random random = new Random(7);
        write(store, random, 200);
        maintained.start();
        assertThat(maintained.built(0)).as("nothing is built before the build runs").isNull();
        assertThat(serve(maintained, treeRead(0))).isInstanceOf(Failure.class);
        runPending();
        assertThat(maintained.allBuilt()).isTrue();
        write(store, random, 500);

        PartitionTrees fresh = new PartitionTrees(engine, deferred, PARTITIONS, DEPTH, STOPPED, InstantSource.system(), metrics);
        fresh.start();
        runPending();
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(maintained.built(p)).as("partition %d", p).isEqualTo(fresh.built(p));
        }
        TreeHashes hashes = (TreeHashes) serve(maintained, treeRead(3));
        assertThat(hashes.hashes()).containsExactly(fresh.built(3).root());
        LeafRead allLeaves = new LeafRead(new PartitionRange(PARTITIONS, 3), DEPTH,
                IntStream.range(0, 256).boxed().toList());
        LeafVersions versions = (LeafVersions) serve(maintained, allLeaves);
        long[] keys = {0};
        engine.scan(Namespace.DATA, new PartitionRange(PARTITIONS, 3).start(),
                new PartitionRange(PARTITIONS, 3).end(), (k, v) -> ++keys[0] > 0);
        assertThat(versions.entries()).hasSize((int) keys[0]).isNotEmpty();
        assertThat(serve(maintained, new TreeRead(new PartitionRange(PARTITIONS, 3), DEPTH + 1, 0, List.of(0))))
                .as("a tree of another shape is not compared").isInstanceOf(Failure.class);
    }

    @Test
    void aLeafThatDisagreesWithStorageIsResetWhenItsKeysAreRead() {
        PartitionTrees trees = new PartitionTrees(engine, deferred, PARTITIONS, DEPTH, STOPPED, InstantSource.system(), metrics);
        trees.start();
        runPending();
        VersionedStore unseen = new VersionedStore(engine, "a@1", InstantSource.system()); // tells no tree
        write(unseen, new Random(3), 50);
        PartitionTrees fresh = new PartitionTrees(engine, deferred, PARTITIONS, DEPTH, STOPPED, InstantSource.system(), metrics);
        fresh.start();
        runPending();
        int partition = IntStream.range(0, PARTITIONS).filter(p -> !trees.built(p).equals(fresh.built(p)))
                .findFirst().orElseThrow();
        PartitionTree tree = trees.built(partition);
        List<Integer> differing = IntStream.of(PartitionTree.differingLeaves(tree, fresh.built(partition))).boxed()
                .toList();

        assertThat(trees.versions(tree, differing)).isEqualTo(fresh.versions(fresh.built(partition), differing));
        assertThat(tree).isEqualTo(fresh.built(partition));
        assertThat(meters.get("dynamo.antientropy.leaf.resets").counter().count()).isEqualTo(differing.size());
    }

    @Test
    void theTombstoneIndexKeptByWritesEqualsTheOneBuiltFromStorageAndEmptiesWhenReaped() {
        PartitionTrees maintained = new PartitionTrees(engine, deferred, PARTITIONS, DEPTH, STOPPED, InstantSource.system(), metrics);
        VersionedStore store = new VersionedStore(engine, "a@1", InstantSource.system(), maintained);
        Random random = new Random(11);
        write(store, random, 200);
        maintained.start();
        runPending();
        write(store, random, 500);
        PartitionTrees fresh = new PartitionTrees(engine, deferred, PARTITIONS, DEPTH, STOPPED, InstantSource.system(), metrics);
        fresh.start();
        runPending();

        List<KeyVersion> tombstones = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            Set<StorageKey> keys = maintained.tombstones().heldFor(p, Duration.ZERO, Integer.MAX_VALUE).keySet();
            assertThat(keys).as("partition %d", p)
                    .containsExactlyInAnyOrderElementsOf(fresh.tombstones().heldFor(p, Duration.ZERO, 1000).keySet());
            for (StorageKey key : keys) {
                assertThat(store.read(key).isTombstoned()).isTrue();
                tombstones.add(new KeyVersion(key.encode(), VersionHash.of(key.encode(), store.read(key))));
            }
        }
        assertThat(tombstones).isNotEmpty();
        assertThat(maintained.tombstones().heldFor(0, Duration.ofNanos(1), 1000)).as("none held for any time").isEmpty();

        assertThat(store.reap(tombstones).join()).hasSize(tombstones.size());
        assertThat(maintained.tombstones().held()).isZero();
        PartitionTrees afterReaping = new PartitionTrees(engine, deferred, PARTITIONS, DEPTH, STOPPED, InstantSource.system(), metrics);
        afterReaping.start();
        runPending();
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(maintained.built(p)).as("a reap moves the tree, partition %d", p)
                    .isEqualTo(afterReaping.built(p));
        }
    }

    private Message serve(PartitionTrees trees, Message request) {
        var reply = request instanceof TreeRead read ? trees.serve(read) : trees.serve((LeafRead) request);
        runPending();
        return reply.join();
    }

    private static TreeRead treeRead(int partition) {
        return new TreeRead(new PartitionRange(PARTITIONS, partition), DEPTH, 0, List.of(0));
    }

    private void runPending() {
        for (int i = 0; i < 10_000 && !pending.isEmpty(); i++) {
            pending.removeFirst().run();
        }
    }

    /** Writes, overwrites, concurrent writes (siblings) and deletes of a few hundred keys. */
    private static void write(VersionedStore store, Random random, int writes) {
        for (int i = 0; i < writes; i++) {
            StorageKey key = StorageKey.of("b", ("k" + random.nextInt(300)).getBytes(StandardCharsets.UTF_8));
            VersionVector context = random.nextBoolean() ? store.read(key).clock() : VersionVector.empty();
            Content content = random.nextInt(6) == 0 ? Content.tombstone(i)
                    : new Content(("v" + i).getBytes(StandardCharsets.UTF_8), null, i, false);
            store.write(key, context, content, ConflictPolicy.SIBLINGS).join();
        }
    }
}
