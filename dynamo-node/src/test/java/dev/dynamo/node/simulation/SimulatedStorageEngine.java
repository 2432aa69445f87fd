package dev.dynamo.node.simulation;

import dev.dynamo.node.storage.StorageEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A node's "disk" in the simulation: one TreeMap per namespace in unsigned byte order, updated at
 * once. An update's future is complete when it returns, and the maps outlive the node's crashes,
 * so a crash keeps everything a node acknowledged, as a durable engine with sync=always does.
 * Single-threaded like the rest of the simulation; no group commit, no size limit.
 */
final class SimulatedStorageEngine implements StorageEngine {

    private final Map<Namespace, NavigableMap<byte[], byte[]>> maps = new EnumMap<>(Namespace.class);
    private long hintWrites;

    SimulatedStorageEngine() {
        for (Namespace namespace : Namespace.values()) {
            maps.put(namespace, new TreeMap<>(Arrays::compareUnsigned));
        }
    }

    @Override
    public byte[] get(Namespace namespace, byte[] key) {
        byte[] value = maps.get(namespace).get(key);
        return value == null ? null : value.clone();
    }

    @Override
    public CompletableFuture<byte[]> update(Namespace namespace, byte[] key, Supplier<IndexEntry> index,
            UnaryOperator<byte[]> change) {
        byte[] current = get(namespace, key);
        byte[] next;
        try {
            next = change.apply(current);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (index != null && (current == null) != (next == null)) {
            IndexEntry entry = index.get();
            if (next == null) {
                maps.get(Namespace.KEYS).remove(entry.key());
            } else {
                maps.get(Namespace.KEYS).put(entry.key().clone(), entry.value().clone());
            }
        }
        if (next == null) {
            maps.get(namespace).remove(key);
        } else {
            maps.get(namespace).put(key.clone(), next.clone());
            if (namespace == Namespace.HINTS) {
                hintWrites++;
            }
        }
        return CompletableFuture.completedFuture(next);
    }

    @Override
    public void scan(Namespace namespace, byte[] from, byte[] to, EntryVisitor visitor) {
        NavigableMap<byte[], byte[]> map = maps.get(namespace);
        // a copy, so the visitor may update the store (the contract promises a snapshot)
        List<Map.Entry<byte[], byte[]>> snapshot = new ArrayList<>(
                (to == null ? map.tailMap(from, true) : map.subMap(from, true, to, false)).entrySet());
        for (Map.Entry<byte[], byte[]> entry : snapshot) {
            if (!visitor.visit(entry.getKey().clone(), entry.getValue().clone())) {
                return;
            }
        }
    }

    @Override
    public long sizeInBytes() {
        return maps.values().stream().flatMap(m -> m.entrySet().stream())
                .mapToLong(e -> e.getKey().length + e.getValue().length).sum();
    }

    /** How many hints were written here, counting merges into a kept hint: proof handoff happened. */
    long hintWrites() {
        return hintWrites;
    }

    /** Whether no hint is waiting here. */
    boolean hasNoHints() {
        return maps.get(Namespace.HINTS).isEmpty();
    }

    @Override
    public void close() {
        // a crash does not close the disk; there is nothing to release
    }
}
