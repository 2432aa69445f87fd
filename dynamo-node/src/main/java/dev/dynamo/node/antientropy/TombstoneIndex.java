package dev.dynamo.node.antientropy;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.scheduling.Ticker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The keys of each partition whose state here is dead (tombstones only, or values that have all expired,
 * see {@link VersionedValue#goneAt}), each with the time (on this node's monotonic {@link Ticker}) its state
 * last changed or was found dead here: what the reaper picks from, so that it never scans the store for
 * tombstones. {@link PartitionTrees} keeps it, from every change and from its scans.
 *
 * <p>The time is this node's own, not the tombstone's timestamp: that was stamped by another node's
 * wall clock, which may be set apart from this one by any amount, or jump, and would then shorten the
 * grace. A key found by the start-up scan counts from the scan: after a restart every tombstone
 * starts its grace again (later than it could, never earlier). A change to another dead state (a
 * second delete, a merge) restarts it too, since the newer tombstone may delete a value whose hint is
 * younger than the first.
 *
 * <p>Values that will expire are not indexed one by one, which would cost memory for every such key
 * while it lives: each partition keeps only the earliest time (wall clock) at which one of its states
 * dies, and once that has passed, {@link PartitionTrees#sweepIfDue} scans the partition and indexes the
 * states then dead, at most once per sweep period. An expired value counts from that scan.
 *
 * <p>Memory grows with the dead keys held, which reaping keeps few. An entry may be stale for an
 * instant (a scan racing a write; a change already visible in the store but not yet reported); the
 * reaper checks each key's stored state before it acts, and its entry again before it reaps.
 */
public final class TombstoneIndex {

    /** Per partition, each key's {@link Ticker} time of its last change here. */
    private final List<Map<StorageKey, Long>> byPartition;
    /** Per partition, the earliest wall-clock time a state not yet dead here dies; {@link Long#MAX_VALUE}: none. */
    private final AtomicLongArray nextDeath;
    /** Per partition, the {@link Ticker} time of its last sweep. */
    private final AtomicLongArray sweptAt;
    private final Ticker ticker;
    private final InstantSource clock;

    TombstoneIndex(int partitions, Ticker ticker, InstantSource clock) {
        this.ticker = ticker;
        this.clock = clock;
        byPartition = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ConcurrentHashMap<>());
        }
        nextDeath = new AtomicLongArray(partitions);
        sweptAt = new AtomicLongArray(partitions);
        long start = ticker.nanos();
        for (int p = 0; p < partitions; p++) {
            nextDeath.set(p, Long.MAX_VALUE);
            sweptAt.set(p, start);
        }
    }

    /** Q, the partitions of the ring this index is for. */
    public int partitions() {
        return byPartition.size();
    }

    /** Records the key's state after a change; a change to the same state (a repeated merge) is none. */
    void changed(int partition, StorageKey key, VersionedValue before, VersionedValue after) {
        if (!isDead(partition, after)) {
            byPartition.get(partition).remove(key);
        } else if (after.equals(before)) {
            byPartition.get(partition).putIfAbsent(key, ticker.nanos());
        } else {
            byPartition.get(partition).put(key, ticker.nanos());
        }
    }

    /** Records a key found by a scan; only adds, since a change reported meanwhile is newer than the scan. */
    void found(int partition, StorageKey key, VersionedValue state) {
        if (isDead(partition, state)) {
            byPartition.get(partition).putIfAbsent(key, ticker.nanos());
        }
    }

    /** Whether {@code state} is dead now; if it dies later, the partition's next death is brought forward to then. */
    private boolean isDead(int partition, VersionedValue state) {
        long gone = state.goneAt();
        if (gone == Long.MAX_VALUE) {
            return false; // most writes: a live value that never expires, no clock read on their path
        }
        if (gone <= clock.millis()) {
            return true;
        }
        nextDeath.accumulateAndGet(partition, gone, Math::min);
        return false;
    }

    /**
     * Whether {@code partition} should be swept now: a state of it has died since its last sweep, which was
     * at least {@code period} ago. If so, the partition counts as swept from now and its next death is
     * forgotten; the sweep's {@link #found} calls set it again from the states that still live.
     */
    boolean takeSweep(int partition, Duration period) {
        long now = ticker.nanos();
        long last = sweptAt.get(partition);
        if (nextDeath.get(partition) > clock.millis() || now - last < period.toNanos()
                || !sweptAt.compareAndSet(partition, last, now)) {
            return false;
        }
        nextDeath.set(partition, Long.MAX_VALUE);
        return true;
    }

    /** Drops a key the reaper found not to be dead, unless a change recorded it anew meanwhile. */
    public void forget(int partition, StorageKey key, long since) {
        byPartition.get(partition).remove(key, since);
    }

    /** The {@link Ticker} time of the key's last change here; null when the key is not indexed. */
    public Long since(int partition, StorageKey key) {
        return byPartition.get(partition).get(key);
    }

    /**
     * Up to {@code limit} keys of {@code partition} held here dead, unchanged, for at least
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

    /** Dead keys held in {@code partition}; 0 for a partition of no ring this index is for. */
    public int held(int partition) {
        return partition < byPartition.size() ? byPartition.get(partition).size() : 0;
    }

    /** Dead keys held in every partition. */
    public long held() {
        return byPartition.stream().mapToLong(Map::size).sum();
    }
}
