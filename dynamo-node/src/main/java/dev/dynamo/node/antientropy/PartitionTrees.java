package dev.dynamo.node.antientropy;

import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.antientropy.PartitionTree;
import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.core.wire.Message.Failure.Kind;
import dev.dynamo.core.wire.Message.Failure;
import dev.dynamo.core.wire.Message.LeafRead;
import dev.dynamo.core.wire.Message.LeafVersions;
import dev.dynamo.core.wire.Message.TreeHashes;
import dev.dynamo.core.wire.Message.TreeRead;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.scheduling.Ticker;
import dev.dynamo.node.storage.ChangeListener;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import dev.dynamo.node.storage.StorageEngine;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's hash tree of every partition of the ring, over its DATA namespace. {@link #start} builds
 * them from storage in the background, one partition per scheduler task, so requests are never held
 * up; a partition whose tree is not built yet has none ({@link #built} is null) and exchanges skip it.
 * Every change the versioned store makes reaches {@link #changed} on the writer thread, which moves
 * the key's version hash in its partition's tree: two hashes and a few dozen multiplications.
 *
 * <p>A tree starts listening to changes just before its partition is scanned, so a write that commits
 * in that instant is counted twice. Such a leaf differs from the other replicas' trees, so the next
 * exchange reads its keys from storage, and resets the leaf to their sum: found inconsistent, it is
 * rebuilt (one leaf, not the partition). A write racing that scan can leave it off again, for the
 * next exchange to mend.
 *
 * <p>The same changes and scans keep the {@link TombstoneIndex}, the keys held as tombstones only.
 *
 * <p>Memory: one {@link PartitionTree} per partition, {@code 8 * (16^depth + ... + 1)} bytes each:
 * 2,184 bytes at depth 2, 560 KiB for Q = 256.
 */
public final class PartitionTrees implements ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionTrees.class);

    private final StorageEngine engine;
    private final Scheduler scheduler;
    private final int partitions;
    private final int depth;
    private final DynamoMetrics metrics;
    /** Null until the partition's tree starts listening. */
    private final AtomicReferenceArray<PartitionTree> listening;
    /** Null until the partition's tree is built. */
    private final AtomicReferenceArray<PartitionTree> built;
    private final TombstoneIndex tombstones;

    /**
     * @param ticker the monotonic clock the {@link TombstoneIndex} times tombstones on
     * @param clock  the wall clock against which values expire
     */
    public PartitionTrees(StorageEngine engine, Scheduler scheduler, int partitions, int depth, Ticker ticker,
            InstantSource clock, DynamoMetrics metrics) {
        PartitionTree.checkShape(new PartitionRange(partitions, 0), depth);
        this.engine = engine;
        this.scheduler = scheduler;
        this.partitions = partitions;
        this.depth = depth;
        this.metrics = metrics;
        this.listening = new AtomicReferenceArray<>(partitions);
        this.built = new AtomicReferenceArray<>(partitions);
        this.tombstones = new TombstoneIndex(partitions, ticker, clock);
    }

    /** The keys held here as tombstones only, by partition. */
    public TombstoneIndex tombstones() {
        return tombstones;
    }

    /** Builds every partition's tree from storage, one after another, in the background. */
    public void start() {
        scheduler.schedule(Duration.ZERO, () -> build(0));
    }

    public int partitions() {
        return partitions;
    }

    public int depth() {
        return depth;
    }

    /** The built tree of {@code partition}, or null while it is being built. */
    public PartitionTree built(int partition) {
        return built.get(partition);
    }

    /** Whether every partition's tree is built. */
    public boolean allBuilt() {
        for (int p = 0; p < partitions; p++) {
            if (built.get(p) == null) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void changed(StorageKey key, VersionedValue before, VersionedValue after) {
        int partition = partitionOf(key.position());
        tombstones.changed(partition, key, before, after);
        PartitionTree tree = listening.get(partition);
        if (tree != null) {
            byte[] stored = key.encode();
            tree.update(key.position(), VersionHash.of(stored, before), VersionHash.of(stored, after));
        }
    }

    /**
     * Scans {@code partition} for states that have died since its last sweep (values whose expiry has
     * passed) and indexes them, if one has and the last sweep was at least {@code period} ago; see
     * {@link TombstoneIndex}. Runs on the caller's thread.
     */
    public void sweepIfDue(int partition, Duration period) {
        if (!tombstones.takeSweep(partition, period)) {
            return;
        }
        PartitionRange range = new PartitionRange(partitions, partition);
        engine.scan(Namespace.DATA, range.start(), range.end(), (key, value) -> {
            tombstones.found(partition, StorageKey.decode(key), VersionedValueCodec.decode(value));
            return true;
        });
    }

    /** Answers another replica's read of a tree or of its leaves. */
    public CompletableFuture<Message> serve(Message.TreeRequest request) {
        return switch (request) {
            case TreeRead read -> serveTree(read);
            case LeafRead read -> serveLeaves(read);
        };
    }

    /** Answers another replica's {@link TreeRead}; UNAVAILABLE while the tree is not built, or is of another shape. */
    private CompletableFuture<Message> serveTree(TreeRead request) {
        PartitionTree tree = matching(request.range(), request.depth());
        return CompletableFuture.completedFuture(tree == null ? unavailable(request.range(), request.depth())
                : new TreeHashes(LongStream.of(tree.hashes(request.level(),
                        request.nodes().stream().mapToInt(Integer::intValue).toArray())).boxed().toList()));
    }

    /** Answers another replica's {@link LeafRead} from a scan of the leaves, on the scheduler, off the transport's threads. */
    private CompletableFuture<Message> serveLeaves(LeafRead request) {
        PartitionTree tree = matching(request.range(), request.depth());
        if (tree == null) {
            return CompletableFuture.completedFuture(unavailable(request.range(), request.depth()));
        }
        CompletableFuture<Message> reply = new CompletableFuture<>();
        scheduler.schedule(Duration.ZERO, () -> {
            try {
                reply.complete(new LeafVersions(versions(tree, request.leaves())));
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    private PartitionTree matching(PartitionRange range, int treeDepth) {
        return range.partitions() == partitions && treeDepth == depth ? built(range.partition()) : null;
    }

    private Message unavailable(PartitionRange range, int treeDepth) {
        return new Failure(Kind.UNAVAILABLE, "no built tree of depth " + treeDepth + " for " + range + " here (depth "
                + depth + ", Q = " + partitions + ")");
    }

    /**
     * The keys this replica holds in {@code leaves} of a tree, with their version hashes, read from
     * storage. A leaf whose keys do not sum to its hash in the tree is reset to what storage holds.
     */
    public List<KeyVersion> versions(PartitionTree tree, List<Integer> leaves) {
        List<KeyVersion> versions = new ArrayList<>();
        for (int leaf : leaves) {
            long[] sum = {0};
            engine.scan(Namespace.DATA, tree.leafStart(leaf), tree.leafEnd(leaf), (key, value) -> {
                long version = VersionHash.of(key, VersionedValueCodec.decode(value));
                if (version != VersionHash.ABSENT) {
                    versions.add(new KeyVersion(key, version));
                    sum[0] += version;
                }
                return true;
            });
            if (tree.resetLeaf(leaf, sum[0])) {
                log.info("the tree of {} disagreed with storage in leaf {}: reset", tree.range(), leaf);
                metrics.leafReset();
            }
        }
        return versions;
    }

    private void build(int partition) {
        if (partition == partitions) {
            return;
        }
        PartitionRange range = new PartitionRange(partitions, partition);
        PartitionTree tree = new PartitionTree(range, depth);
        listening.set(partition, tree);
        engine.scan(Namespace.DATA, range.start(), range.end(), (key, value) -> {
            StorageKey decoded = StorageKey.decode(key);
            VersionedValue state = VersionedValueCodec.decode(value);
            tree.update(decoded.position(), VersionHash.ABSENT, VersionHash.of(key, state));
            tombstones.found(partition, decoded, state);
            return true;
        });
        built.set(partition, tree);
        metrics.treeBuilt();
        scheduler.schedule(Duration.ZERO, () -> build(partition + 1));
    }

    private int partitionOf(long position) {
        int bits = Integer.numberOfTrailingZeros(partitions);
        return bits == 0 ? 0 : (int) (position >>> (Long.SIZE - bits));
    }
}
