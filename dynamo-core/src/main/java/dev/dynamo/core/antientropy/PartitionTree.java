package dev.dynamo.core.antientropy;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.PartitionRange;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A hash tree over one partition's keys (Dynamo, section 4.7), {@value #FANOUT} children per node.
 * Its leaves split the partition's ring positions into {@code 16^depth} equal sub-ranges; a leaf's
 * hash is the sum (mod 2^64) of the {@link VersionHash} of every (key, version) in it, so a change
 * of one key updates its leaf by taking the old hash out and putting the new one in, in any order,
 * and then rehashes the leaf's {@code depth} ancestors, without looking at any other key. An inner
 * node's hash is a hash of its children's. Two replicas holding the same keys at the same versions
 * have equal trees however their writes were ordered.
 *
 * <p>Levels count from the root (level 0) to the leaves (level {@code depth}); nodes of a level are
 * numbered from 0 in ring order. Memory: {@code 8 * (16^depth + 16^(depth-1) + ... + 1)} bytes,
 * 2,184 for depth 2. Thread-safe: every method locks the tree, briefly.
 */
public final class PartitionTree {

    /** Children per inner node. */
    public static final int FANOUT = 16;
    private static final int FANOUT_BITS = 4;

    private final PartitionRange range;
    private final int depth;
    /** levels[0] is the root, levels[depth] the leaves. */
    private final long[][] levels;

    /** @throws IllegalArgumentException when {@code depth} is below 1 or splits positions finer than the ring has */
    public PartitionTree(PartitionRange range, int depth) {
        checkShape(range, depth);
        this.range = range;
        this.depth = depth;
        this.levels = new long[depth + 1][];
        for (int level = 0; level <= depth; level++) {
            levels[level] = new long[1 << (FANOUT_BITS * level)];
        }
        for (int level = depth - 1; level >= 0; level--) {
            for (int node = 0; node < levels[level].length; node++) {
                rehash(level, node);
            }
        }
    }

    /** @throws IllegalArgumentException when {@code depth} is below 1 or splits positions finer than the ring has */
    public static void checkShape(PartitionRange range, int depth) {
        if (depth < 1 || FANOUT_BITS * depth > width(range)) {
            throw new IllegalArgumentException("tree depth " + depth + " is not between 1 and "
                    + width(range) / FANOUT_BITS + " for " + range);
        }
    }

    /** @throws IllegalArgumentException when a tree of {@code depth} has no node {@code node} at {@code level} */
    public static void checkNode(int depth, int level, int node) {
        if (level < 0 || level > depth) {
            throw new IllegalArgumentException("level " + level + " is not between 0 and " + depth);
        }
        if (node < 0 || node >= 1 << (FANOUT_BITS * level)) {
            throw new IllegalArgumentException("level " + level + " has no node " + node);
        }
    }

    public PartitionRange range() {
        return range;
    }

    public int depth() {
        return depth;
    }

    /** How many leaves the tree has. */
    public int leaves() {
        return levels[depth].length;
    }

    /** The leaf holding the keys at ring {@code position}, which must be in the partition. */
    public int leafOf(long position) {
        if (!range.contains(position)) {
            throw new IllegalArgumentException("position " + Long.toHexString(position) + " is not in " + range);
        }
        return (int) ((position << (Long.SIZE - width(range))) >>> (Long.SIZE - FANOUT_BITS * depth));
    }

    /**
     * One key at {@code position} changed from the version hashed {@code before} to {@code after}
     * ({@link VersionHash#ABSENT} for no entry).
     */
    public synchronized void update(long position, long before, long after) {
        if (before != after) {
            add(leafOf(position), after - before);
        }
    }

    /**
     * Sets a leaf to {@code hash}, the sum of the version hashes of its keys as a scan of storage found
     * them, and says whether it differed: how a tree found inconsistent with its store heals.
     */
    public synchronized boolean resetLeaf(int leaf, long hash) {
        checkNode(depth, depth, leaf);
        if (levels[depth][leaf] == hash) {
            return false;
        }
        add(leaf, hash - levels[depth][leaf]);
        return true;
    }

    private void add(int leaf, long delta) {
        levels[depth][leaf] += delta;
        int node = leaf;
        for (int level = depth - 1; level >= 0; level--) {
            node >>>= FANOUT_BITS;
            rehash(level, node);
        }
    }

    /** The root's hash: equal on two replicas that hold the same versions of the same keys. */
    public synchronized long root() {
        return levels[0][0];
    }

    /** The hashes of {@code nodes} of {@code level}. */
    public synchronized long[] hashes(int level, int[] nodes) {
        long[] hashes = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            checkNode(depth, level, nodes[i]);
            hashes[i] = levels[level][nodes[i]];
        }
        return hashes;
    }

    /** The first stored key of a leaf's range (inclusive). */
    public byte[] leafStart(int leaf) {
        return StorageKey.rangeStart(firstPosition() + ((long) leaf << leafShift()));
    }

    /** The first stored key after a leaf's range (exclusive): null when the leaf runs to the end of the ring. */
    public byte[] leafEnd(int leaf) {
        return leaf + 1 == leaves() ? range.end() : leafStart(leaf + 1);
    }

    /** The children, in order, of {@code nodes} (of one level). */
    public static int[] children(int[] nodes) {
        int[] children = new int[nodes.length * FANOUT];
        for (int i = 0; i < nodes.length; i++) {
            for (int c = 0; c < FANOUT; c++) {
                children[i * FANOUT + c] = (nodes[i] << FANOUT_BITS) + c;
            }
        }
        return children;
    }

    /** Those of {@code nodes} whose hash in {@code mine} differs from the one at the same index in {@code theirs}. */
    public static int[] differing(int[] nodes, long[] mine, long[] theirs) {
        if (mine.length != nodes.length || theirs.length != nodes.length) {
            throw new IllegalArgumentException("expected " + nodes.length + " hashes, got " + mine.length + " and "
                    + theirs.length);
        }
        return IntStream.range(0, nodes.length).filter(i -> mine[i] != theirs[i])
                .map(i -> nodes[i]).toArray();
    }

    /**
     * The leaves of two trees of the same shape that differ, found as an exchange finds them: from the
     * root down, asking at each level only for the children of the nodes that differed.
     */
    public static int[] differingLeaves(PartitionTree a, PartitionTree b) {
        if (!a.range.equals(b.range) || a.depth != b.depth) {
            throw new IllegalArgumentException("trees of different shapes: " + a + " and " + b);
        }
        int[] nodes = {0};
        for (int level = 0; ; level++) {
            nodes = differing(nodes, a.hashes(level, nodes), b.hashes(level, nodes));
            if (level == a.depth || nodes.length == 0) {
                return nodes;
            }
            nodes = children(nodes);
        }
    }

    private void rehash(int level, int node) {
        long h = level;
        long[] below = levels[level + 1];
        for (int c = node << FANOUT_BITS, end = c + FANOUT; c < end; c++) {
            h = VersionHash.mix(h * 31 + below[c]);
        }
        levels[level][node] = h;
    }

    private long firstPosition() {
        int bits = Long.SIZE - width(range);
        return bits == 0 ? 0 : (long) range.partition() << width(range);
    }

    private int leafShift() {
        return width(range) - FANOUT_BITS * depth;
    }

    /** How many low bits of a position vary within the partition. */
    private static int width(PartitionRange range) {
        return Long.SIZE - Integer.numberOfTrailingZeros(range.partitions());
    }

    /** Equal trees have equal leaves: the inner nodes follow from them. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionTree other && range.equals(other.range) && depth == other.depth
                && Arrays.equals(leafHashes(), other.leafHashes());
    }

    private synchronized long[] leafHashes() {
        return levels[depth].clone();
    }

    @Override
    public synchronized int hashCode() {
        return Long.hashCode(levels[0][0]);
    }

    @Override
    public String toString() {
        return "PartitionTree[" + range + ", depth " + depth + "]";
    }
}
