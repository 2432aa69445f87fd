package dev.dynamo.core.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Model-based: two random replicas of a partition, their trees, and what comparing the trees finds. */
class PartitionTreeTest {

    private static final int SEEDS = 300;
    private static final String[] ACTORS = {"a@1", "b@1", "c@1"};

    @Test
    void theLeavesFoundToDifferAreExactlyThoseHoldingKeysWhoseVersionsDiffer() {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            PartitionRange range = randomRange(random);
            int depth = 1 + random.nextInt(2);
            Map<StorageKey, VersionedValue> mine = randomStore(random, range, random.nextInt(300));
            Map<StorageKey, VersionedValue> theirs = diverge(random, range, mine);

            PartitionTree a = build(range, depth, mine, random);
            PartitionTree b = build(range, depth, theirs, random);

            TreeSet<Integer> expected = new TreeSet<>();
            List<ByteBuffer> expectedKeys = new ArrayList<>();
            for (StorageKey key : union(mine, theirs)) {
                if (hash(key, mine.get(key)) != hash(key, theirs.get(key))) {
                    expected.add(a.leafOf(key.position()));
                    expectedKeys.add(ByteBuffer.wrap(key.encode()));
                }
            }
            int[] found = PartitionTree.differingLeaves(a, b);
            assertThat(IntStream.of(found).boxed().toList()).as("seed %d", seed).containsExactlyElementsOf(expected);
            assertThat(a.root() == b.root()).as("seed %d", seed).isEqualTo(expected.isEmpty());

            List<ByteBuffer> differingKeys = KeyVersion.differing(entries(a, mine, found), entries(b, theirs, found))
                    .stream().map(ByteBuffer::wrap).toList();
            assertThat(differingKeys).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(expectedKeys);
        }
    }

    @Test
    void aTreeMaintainedByUpdatesInAnyOrderEqualsOneBuiltFromScratch() {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            PartitionRange range = randomRange(random);
            int depth = 1 + random.nextInt(2);
            Map<StorageKey, VersionedValue> store = randomStore(random, range, random.nextInt(200));
            PartitionTree maintained = build(range, depth, store, random);
            // a history of changes, each one (before, after) as a store applies it
            for (int i = 0; i < 300; i++) {
                List<StorageKey> keys = new ArrayList<>(store.keySet());
                StorageKey key = keys.isEmpty() || random.nextInt(4) == 0 ? randomKey(random, range)
                        : keys.get(random.nextInt(keys.size()));
                VersionedValue before = store.getOrDefault(key, VersionedValue.empty());
                VersionedValue after = random.nextInt(10) == 0 ? VersionedValue.empty() : write(random, before);
                store.put(key, after);
                maintained.update(key.position(), hash(key, before), hash(key, after));
            }
            PartitionTree scratch = build(range, depth, store, random);
            assertThat(maintained).as("seed %d", seed).isEqualTo(scratch);
            assertThat(maintained.root()).as("seed %d", seed).isEqualTo(scratch.root());
            assertThat(PartitionTree.differingLeaves(maintained, scratch)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void leavesSplitThePartitionIntoEqualContiguousRanges() {
        PartitionTree tree = new PartitionTree(new PartitionRange(4, 2), 2);
        assertThat(tree.leaves()).isEqualTo(256);
        assertThat(tree.leafStart(0)).isEqualTo(new PartitionRange(4, 2).start());
        assertThat(tree.leafEnd(255)).isEqualTo(new PartitionRange(4, 2).end());
        assertThat(tree.leafEnd(0)).isEqualTo(tree.leafStart(1));
        assertThat(tree.leafOf(0x8000_0000_0000_0000L)).isZero();
        assertThat(tree.leafOf(0x8040_0000_0000_0000L)).isEqualTo(1);
        assertThat(tree.leafOf(0xBFFF_FFFF_FFFF_FFFFL)).isEqualTo(255);
        assertThat(new PartitionTree(new PartitionRange(1, 0), 1).leafEnd(15)).isNull();
        assertThatThrownBy(() -> tree.leafOf(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartitionTree(new PartitionRange(1, 0), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.hashes(3, new int[] {0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.hashes(1, new int[] {16})).isInstanceOf(IllegalArgumentException.class);
    }

    private static PartitionTree build(PartitionRange range, int depth, Map<StorageKey, VersionedValue> store,
            Random random) {
        List<StorageKey> keys = new ArrayList<>(store.keySet());
        Collections.shuffle(keys, random);
        PartitionTree tree = new PartitionTree(range, depth);
        for (StorageKey key : keys) {
            tree.update(key.position(), VersionHash.ABSENT, hash(key, store.get(key)));
        }
        return tree;
    }

    /** What a replica sends for some leaves: its keys in them and their version hashes. */
    private static List<KeyVersion> entries(PartitionTree tree, Map<StorageKey, VersionedValue> store, int[] leaves) {
        List<Integer> wanted = IntStream.of(leaves).boxed().toList();
        return store.entrySet().stream()
                .filter(e -> wanted.contains(tree.leafOf(e.getKey().position())))
                .map(e -> new KeyVersion(e.getKey().encode(), hash(e.getKey(), e.getValue())))
                .filter(kv -> kv.version() != VersionHash.ABSENT)
                .toList();
    }

    private static long hash(StorageKey key, VersionedValue value) {
        return value == null ? VersionHash.ABSENT : VersionHash.of(key.encode(), value);
    }

    private static List<StorageKey> union(Map<StorageKey, VersionedValue> a, Map<StorageKey, VersionedValue> b) {
        Map<StorageKey, Boolean> keys = new LinkedHashMap<>();
        a.keySet().forEach(k -> keys.put(k, true));
        b.keySet().forEach(k -> keys.put(k, true));
        return List.copyOf(keys.keySet());
    }

    private static PartitionRange randomRange(Random random) {
        int partitions = 1 << random.nextInt(7);
        return new PartitionRange(partitions, random.nextInt(partitions));
    }

    private static Map<StorageKey, VersionedValue> randomStore(Random random, PartitionRange range, int keys) {
        Map<StorageKey, VersionedValue> store = new LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
            VersionedValue value = write(random, VersionedValue.empty());
            while (random.nextInt(3) == 0) {
                value = write(random, value);
            }
            store.put(randomKey(random, range), value);
        }
        return store;
    }

    /** A copy of {@code store} in which some keys moved on, went missing, or appeared. */
    private static Map<StorageKey, VersionedValue> diverge(Random random, PartitionRange range,
            Map<StorageKey, VersionedValue> store) {
        Map<StorageKey, VersionedValue> copy = new LinkedHashMap<>(store);
        int changes = random.nextInt(4) == 0 ? 0 : random.nextInt(12);
        List<StorageKey> keys = new ArrayList<>(store.keySet());
        for (int i = 0; i < changes; i++) {
            int kind = keys.isEmpty() ? 2 : random.nextInt(3);
            StorageKey key = kind == 2 ? randomKey(random, range) : keys.get(random.nextInt(keys.size()));
            switch (kind) {
                case 0 -> copy.put(key, write(random, copy.getOrDefault(key, VersionedValue.empty())));
                case 1 -> copy.remove(key);
                default -> copy.put(key, write(random, VersionedValue.empty()));
            }
        }
        return copy;
    }

    /** A new version by a random actor, sometimes concurrent with what is there (a sibling). */
    private static VersionedValue write(Random random, VersionedValue current) {
        Content content = new Content(new byte[] {(byte) random.nextInt()}, null, random.nextInt(1000),
                random.nextInt(8) == 0);
        return current.put(random.nextBoolean() ? current.clock() : VersionVector.empty(), ACTORS[random.nextInt(ACTORS.length)],
                content, ConflictPolicy.SIBLINGS);
    }

    private static StorageKey randomKey(Random random, PartitionRange range) {
        while (true) {
            byte[] name = new byte[8];
            random.nextBytes(name);
            StorageKey key = StorageKey.of("bucket", name);
            if (range.contains(key.position())) {
                return key;
            }
        }
    }
}
