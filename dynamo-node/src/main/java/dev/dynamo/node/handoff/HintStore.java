package dev.dynamo.node.handoff;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hints: states of keys held for an owner that could not take them, in the engine's HINTS namespace,
 * as durable as data. A hint is keyed {@code [owner length][owner id][stored key]}, so the hints of
 * one owner are one scan range and a second hint for the same owner and key merges into the first.
 */
public final class HintStore {

    private final StorageEngine engine;
    private final DynamoMetrics metrics;

    public HintStore(StorageEngine engine, DynamoMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    /** One hint: the owner it is for, the key, and the state to hand over. */
    public record Hint(String owner, StorageKey key, VersionedValue value) {
    }

    /** Keeps {@code value} for {@code owner}, merged with any hint already kept for that key. */
    public CompletableFuture<Void> store(String owner, StorageKey key, VersionedValue value, ConflictPolicy policy) {
        return engine.update(Namespace.HINTS, hintKey(owner, key), current -> VersionedValueCodec.encode(
                current == null ? value : VersionedValueCodec.decode(current).merge(value, policy)))
                .thenApply(stored -> {
                    metrics.hintStored();
                    return null;
                });
    }

    /** The hint kept for {@code owner} and {@code key}; empty when there is none. */
    public VersionedValue get(String owner, StorageKey key) {
        byte[] stored = engine.get(Namespace.HINTS, hintKey(owner, key));
        return stored == null ? VersionedValue.empty() : VersionedValueCodec.decode(stored);
    }

    /** Up to {@code limit} hints for {@code owner}, in key order. */
    public List<Hint> forOwner(String owner, int limit) {
        byte[] from = ownerPrefix(owner);
        List<Hint> hints = new ArrayList<>();
        engine.scan(Namespace.HINTS, from, end(from), (key, value) -> {
            StorageKey storageKey = StorageKey.decode(Arrays.copyOfRange(key, from.length, key.length));
            hints.add(new Hint(owner, storageKey, VersionedValueCodec.decode(value)));
            return hints.size() < limit;
        });
        return hints;
    }

    /** How many hints wait for {@code owner}, counting up to {@code limit}. */
    public int count(String owner, int limit) {
        byte[] from = ownerPrefix(owner);
        int[] count = {0};
        engine.scan(Namespace.HINTS, from, end(from), (key, value) -> ++count[0] < limit);
        return count[0];
    }

    /** The ids of the owners that have hints waiting: one short scan per owner, skipping its hints. */
    public List<String> owners() {
        List<String> owners = new ArrayList<>();
        byte[] from = {0};
        while (from != null) {
            byte[][] first = {null};
            engine.scan(Namespace.HINTS, from, null, (key, value) -> {
                first[0] = key;
                return false;
            });
            if (first[0] == null) {
                break;
            }
            int length = first[0][0] & 0xFF;
            owners.add(new String(first[0], 1, length, StandardCharsets.UTF_8));
            from = end(Arrays.copyOf(first[0], 1 + length));
        }
        return owners;
    }

    /**
     * Removes the hint for {@code owner} and {@code key} if it still is {@code delivered}: a hint
     * that grew while it was being delivered stays for the next round.
     */
    public CompletableFuture<Boolean> remove(String owner, StorageKey key, VersionedValue delivered) {
        byte[] expected = VersionedValueCodec.encode(delivered);
        boolean[] removed = {false};
        return engine.update(Namespace.HINTS, hintKey(owner, key), current -> {
            removed[0] = current != null && Arrays.equals(current, expected);
            return removed[0] ? null : current;
        }).thenApply(stored -> removed[0]);
    }

    private static byte[] hintKey(String owner, StorageKey key) {
        byte[] prefix = ownerPrefix(owner);
        byte[] stored = key.encode();
        byte[] hintKey = Arrays.copyOf(prefix, prefix.length + stored.length);
        System.arraycopy(stored, 0, hintKey, prefix.length, stored.length);
        return hintKey;
    }

    private static byte[] ownerPrefix(String owner) {
        byte[] id = owner.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > 255) {
            throw new IllegalArgumentException("owner id must be 1 to 255 bytes, got " + id.length);
        }
        byte[] prefix = new byte[1 + id.length];
        prefix[0] = (byte) id.length;
        System.arraycopy(id, 0, prefix, 1, id.length);
        return prefix;
    }

    /** The first key after every key starting with {@code prefix}; null when there is none. */
    private static byte[] end(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }
}
