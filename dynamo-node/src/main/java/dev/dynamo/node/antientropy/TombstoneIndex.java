package dev.dynamo.node.antientropy;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.scheduling.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of each partition whose state here is tombstones only, each with the time (on this node's
 * monotonic {@link Ticker}) its state last changed here: what the reaper picks from, so that it never
 * scans the store. {@link PartitionTrees} keeps it, from every change and from its start-up scan.
 *
 * <p>The time is this node's own, not the tombstone's timestamp: that was stamped by another node's
 * wall clock, which may be set apart from this one by any amount, or jump, and would then shorten the
 * grace. A key found by the start-up scan counts from the scan: after a restart every tombstone
 * starts its grace again (later than it could, never earlier). A change to another tombstone-only
 * state (a second delete, a merge) restarts it too, since the newer tombstone may delete a value
 * whose hint is younger than the first.
 *
 * <p>Memory grows with the tombstones held, which reaping keeps few. An entry may be stale for an
 * instant (a scan racing a write; a change already visible in the store but not yet reported); the
 * reaper checks each key's stored state before it acts, and its entry again before it reaps.
 */
public final class TombstoneIndex {

    /** Per partition, each key's {@link Ticker} time of its last change here. */
    private final List<Map<StorageKey, Long>> byPartition;
    private final Ticker ticker;

    TombstoneIndex(int partitions, Ticker ticker) {
        this.ticker = ticker;
        byPartition = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ConcurrentHashMap<>());
        }
    }

    /** Q, the partitions of the ring this index is for. */
    public int partitions() {
        return byPartition.size();
    }

    /** Records the key's state after a change; a change to the same state (a repeated merge) is none. */
    void changed(int partition, StorageKey key, VersionedValue before, VersionedValue after) {
        if (!after.isTombstoned()) {
            byPartition.get(partition).remove(key);
        } else if (after.equals(before)) {
            byPartition.get(partition).putIfAbsent(key, ticker.nanos());
        } else {
            byPartition.get(partition).put(key, ticker.nanos());
        }
    }

    /** Records a key found by a scan; only adds, since a change reported meanwhile is newer than the scan. */
    void found(int partition, StorageKey key, VersionedValue state) {
        if (state.isTombstoned()) {
            byPartition.get(partition).putIfAbsent(key, ticker.nanos());
        }
    }

    /** Drops a key the reaper found not to be tombstones only, unless a change recorded it anew meanwhile. */
    public void forget(int partition, StorageKey key, long since) {
        byPartition.get(partition).remove(key, since);
    }

    /** The {@link Ticker} time of the key's last change here; null when the key is not indexed. */
    public Long since(int partition, StorageKey key) {
        return byPartition.get(partition).get(key);
    }

    /**
     * Up to {@code limit} keys of {@code partition} held here as tombstones only, unchanged, for at least
     * {@code age}, each with its {@link #since}.
     */
    public Map<StorageKey, Long> heldFor(int partition, Duration age, int limit) {
        long now = ticker.nanos();
        Map<StorageKey, Long> keys = new LinkedHashMap<>();
        for (Map.Entry<StorageKey, Long> entry : byPartition.get(partition).entrySet()) {
            if (keys.size() == limit) {
                break;
            }
            if (now - entry.getValue() >= age.toNanos()) {
                keys.put(entry.getKey(), entry.getValue());
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
