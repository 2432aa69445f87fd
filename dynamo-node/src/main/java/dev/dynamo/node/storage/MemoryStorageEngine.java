package dev.dynamo.node.storage;

import dev.dynamo.node.storage.GroupCommitter.Write;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps everything in the heap, one {@link ConcurrentSkipListMap} per namespace ordered as
 * unsigned bytes; for tests and the simulation.
 *
 * <p>Durability: none, whatever the sync policy; everything is gone at close or exit. Writes go
 * through the same group commit as the durable engines, so tests see the same batching,
 * failure and ordering behaviour. {@code maxSize} bounds the bytes of keys plus values.
 *
 * <p>A scan copies the references of its range under a read lock that commits exclude, then
 * visits without holding it: that gives the consistent snapshot the contract asks for, and a
 * visitor may wait for its own updates without deadlocking the writer.
 */
public final class MemoryStorageEngine extends GroupCommitStorageEngine {

    private final Map<Namespace, NavigableMap<byte[], byte[]>> maps = new EnumMap<>(Namespace.class);
    private final ReadWriteLock commits = new ReentrantReadWriteLock();
    private volatile long usedBytes;

    /** @param maxSize the most bytes of keys plus values to hold */
    public MemoryStorageEngine(long maxSize) {
        super("memory", maxSize, SyncPolicy.NEVER, null);
        for (Namespace namespace : Namespace.values()) {
            maps.put(namespace, new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
        }
    }

    @Override
    byte[] readCommitted(Namespace namespace, byte[] key) {
        byte[] value = maps.get(namespace).get(key);
        return value == null ? null : value.clone();
    }

    @Override
    void scanCommitted(Namespace namespace, byte[] from, byte[] to, EntryVisitor visitor) {
        NavigableMap<byte[], byte[]> map = maps.get(namespace);
        List<Map.Entry<byte[], byte[]>> snapshot;
        commits.readLock().lock();
        try {
            snapshot = new ArrayList<>(to == null ? map.tailMap(from, true).entrySet() : map.subMap(from, to).entrySet());
        } finally {
            commits.readLock().unlock();
        }
        for (Map.Entry<byte[], byte[]> entry : snapshot) {
            if (!visitor.visit(entry.getKey().clone(), entry.getValue().clone())) {
                return;
            }
        }
    }

    @Override
    void commitBatch(List<Write> writes) {
        long growth = 0;
        for (Write write : writes) {
            byte[] old = maps.get(write.namespace()).get(write.key());
            growth += size(write.key(), write.value()) - size(write.key(), old);
        }
        if (growth > 0 && usedBytes + growth > maxSize()) {
            throw storeFull(null);
        }
        commits.writeLock().lock();
        try {
            for (Write write : writes) {
                if (write.value() == null) {
                    maps.get(write.namespace()).remove(write.key());
                } else {
                    maps.get(write.namespace()).put(write.key(), write.value().clone());
                }
            }
            usedBytes += growth;
        } finally {
            commits.writeLock().unlock();
        }
    }

    private static long size(byte[] key, byte[] value) {
        return value == null ? 0 : key.length + value.length;
    }

    @Override
    void syncToDisk() {
        // nothing to sync: nothing is on disk
    }

    @Override
    long usedBytes() {
        return usedBytes;
    }

    @Override
    void release() {
        maps.values().forEach(Map::clear);
    }
}
