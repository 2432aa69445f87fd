package dev.dynamo.node.antientropy;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.VersionedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of each partition whose state here is tombstones only, with the newest tombstone's
 * timestamp: what the reaper picks from, so that it never scans the store. {@link PartitionTrees}
 * keeps it, from every change and from its start-up scan. Memory grows with the tombstones held,
 * which reaping keeps few. An entry may be stale for an instant (a scan racing a write); the reaper
 * checks each key's stored state before it acts.
 */
public final class TombstoneIndex {

    private final List<Map<StorageKey, Long>> byPartition;

    TombstoneIndex(int partitions) {
        byPartition = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ConcurrentHashMap<>());
        }
    }

    /** Q, the partitions of the ring this index is for. */
    public int partitions() {
        return byPartition.size();
    }

    /** Records the key's state after a change. */
    void changed(int partition, StorageKey key, VersionedValue after) {
        if (after.isTombstoned()) {
            byPartition.get(partition).put(key, after.newestTimestamp().orElseThrow());
        } else {
            byPartition.get(partition).remove(key);
        }
    }

    /** Records a key found by a scan; only adds, since a change reported meanwhile is newer than the scan. */
    void found(int partition, StorageKey key, VersionedValue state) {
        if (state.isTombstoned()) {
            byPartition.get(partition).putIfAbsent(key, state.newestTimestamp().orElseThrow());
        }
    }

    /** Drops a key the reaper found not to be tombstones only, unless a change recorded it anew meanwhile. */
    public void forget(int partition, StorageKey key, long timestamp) {
        byPartition.get(partition).remove(key, timestamp);
    }

    /** The timestamp recorded for a key; null when the key is not indexed. */
    public Long timestamp(int partition, StorageKey key) {
        return byPartition.get(partition).get(key);
    }

    /** Up to {@code limit} keys of {@code partition} whose newest tombstone is older than {@code cutoffMillis}. */
    public List<StorageKey> olderThan(int partition, long cutoffMillis, int limit) {
        List<StorageKey> keys = new ArrayList<>();
        for (Map.Entry<StorageKey, Long> entry : byPartition.get(partition).entrySet()) {
            if (keys.size() == limit) {
                break;
            }
            if (entry.getValue() < cutoffMillis) {
                keys.add(entry.getKey());
            }
        }
        return keys;
    }

    /** Tombstoned keys held in {@code partition}; 0 for a partition of no ring this index is for. */
    public int held(int partition) {
        return partition < byPartition.size() ? byPartition.get(partition).size() : 0;
    }

    /** Tombstoned keys held in every partition. */
    public long held() {
        return byPartition.stream().mapToLong(Map::size).sum();
    }
}
