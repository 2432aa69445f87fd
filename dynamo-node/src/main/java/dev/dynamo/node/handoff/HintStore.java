package dev.dynamo.node.handoff;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.Ticker;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hints: states of keys held for an owner that could not take them, in the engine's HINTS namespace,
 * as durable as data. A hint is keyed {@code [owner length][owner id][stored key]}, so the hints of
 * one owner are one scan range and a second hint for the same owner and key merges into the first.
 *
 * <p>It also knows how long this node has held each hint, from when the hint was first stored: a write
 * merged into it later does not make it younger, since it holds the older write still. While the
 * process runs that is measured on its monotonic {@link Ticker}, which no clock step moves. To survive
 * a restart, the wall-clock time it was stored at is also kept, in the META namespace under {@code
 * hint-stored-at/} and the hint's key: written after the hint is created, removed after it is, so that
 * the hint format is unchanged (a node rolled back to an earlier version reads its hints as before).
 * After a restart a hint's age is read once from that time by this node's own wall clock, then goes on
 * on the ticker; so only a step of this node's clock made while it was down could lengthen it. A hint
 * with no time kept (stored by an earlier version, or the process died before its time was written)
 * is of unknown age and counts as expired.
 */
public final class HintStore {

    private static final byte[] STORED_AT_PREFIX = "hint-stored-at/".getBytes(StandardCharsets.US_ASCII);

    private final StorageEngine engine;
    private final InstantSource clock;
    private final Ticker ticker;
    private final DynamoMetrics metrics;
    /** The {@link Ticker} time each hint was first stored, for the hints this process has stored or aged. */
    private final Map<Slot, Long> storedSince = new ConcurrentHashMap<>();

    /**
     * @param clock  this node's wall clock: when a hint was stored, as kept across restarts
     * @param ticker this node's monotonic clock: how long a hint has been held, while the process runs
     */
    public HintStore(StorageEngine engine, InstantSource clock, Ticker ticker, DynamoMetrics metrics) {
        this.engine = engine;
        this.clock = clock;
        this.ticker = ticker;
        this.metrics = metrics;
    }

    /** Where a hint is kept: one per owner and key. */
    private record Slot(String owner, StorageKey key) {
    }

    /** One hint: the owner it is for, the key, and the state to hand over. */
    public record Hint(String owner, StorageKey key, VersionedValue value) {
    }

    /** Keeps {@code value} for {@code owner}, merged with any hint already kept for that key. */
    public CompletableFuture<Void> store(String owner, StorageKey key, VersionedValue value, ConflictPolicy policy) {
        // read before the write: a hint's time is never later than its first write's arrival
        long nanos = ticker.nanos();
        long millis = clock.millis();
        byte[] hintKey = hintKey(owner, key);
        // the engine may apply the change more than once; the last application is what was stored
        AtomicBoolean created = new AtomicBoolean();
        return engine.update(Namespace.HINTS, hintKey, current -> {
            created.set(current == null);
            return VersionedValueCodec.encode(
                    current == null ? value : VersionedValueCodec.decode(current).merge(value, policy));
        }).thenCompose(stored -> {
            metrics.hintStored();
            if (!created.get()) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            // a hint found at start-up and merged into keeps its age; racing a removal may leave a time behind
            // or take one away, either of which only makes a hint of this key expire early
            storedSince.putIfAbsent(new Slot(owner, key), nanos);
            return engine.update(Namespace.META, storedAtKey(hintKey),
                    kept -> kept != null ? kept : ByteBuffer.allocate(Long.BYTES).putLong(millis).array())
                    .thenApply(kept -> null);
        });
    }

    /** Whether this node has held {@code hint} for longer than {@code age}; true when it cannot tell. */
    public boolean heldLongerThan(Hint hint, Duration age) {
        Slot slot = new Slot(hint.owner(), hint.key());
        Long since = storedSince.get(slot);
        if (since == null) {
            byte[] storedAt = engine.get(Namespace.META, storedAtKey(hintKey(hint.owner(), hint.key())));
            if (storedAt == null) {
                return true;
            }
            long heldMillis = Math.max(0, clock.millis() - ByteBuffer.wrap(storedAt).getLong());
            since = storedSince.computeIfAbsent(slot, s -> ticker.nanos() - Duration.ofMillis(heldMillis).toNanos());
        }
        return ticker.nanos() - since > age.toNanos();
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
        engine.scan(Namespace.HINTS, from, StorageEngine.prefixEnd(from), (key, value) -> {
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
        engine.scan(Namespace.HINTS, from, StorageEngine.prefixEnd(from), (key, value) -> ++count[0] < limit);
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
            from = StorageEngine.prefixEnd(Arrays.copyOf(first[0], 1 + length));
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
        }).thenCompose(stored -> {
            if (!removed[0]) {
                return CompletableFuture.completedFuture(false);
            }
            storedSince.remove(new Slot(owner, key));
            return engine.delete(Namespace.META, storedAtKey(hintKey(owner, key))).thenApply(deleted -> true);
        });
    }

    private static byte[] hintKey(String owner, StorageKey key) {
        return concat(ownerPrefix(owner), key.encode());
    }

    /** Where the wall-clock time the hint under {@code hintKey} was stored at is kept, in META. */
    private static byte[] storedAtKey(byte[] hintKey) {
        return concat(STORED_AT_PREFIX, hintKey);
    }

    private static byte[] concat(byte[] prefix, byte[] rest) {
        byte[] joined = Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, joined, prefix.length, rest.length);
        return joined;
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
}
