package dev.dynamo.node.storage;

import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.node.logging.RateLimitedLog;
import dev.dynamo.node.storage.StorageEngine.IndexEntry;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * This node's replica of the data: versioned values over the storage engine. Every change is a
 * read-merge-write done atomically inside the engine's group commit, so concurrent writes to one
 * key never lose each other.
 *
 * <p>Reaping a tombstone forgets its clock here, so this node's next write of the key would again
 * start its actor's counter at 1, and a replica still holding the tombstone would take that new dot
 * for one it has seen and drop the write. So before it reaps, the store raises its counter floor
 * (in META, durably) to the highest counter of its actor in the states it removes, and every dot it
 * issues afterwards is above the floor: never one it issued before.
 */
public final class VersionedStore {

    /** No limits: replicas merge what coordinators stored, and reaping only removes. */
    private static final ObjectLimits UNLIMITED = new ObjectLimits(Integer.MAX_VALUE, Long.MAX_VALUE);
    private static final RateLimitedLog nearLimits =
            new RateLimitedLog(LoggerFactory.getLogger(VersionedStore.class), Duration.ofSeconds(10));

    private static final byte[] FLOOR_KEY = "version.floor".getBytes(StandardCharsets.UTF_8);
    /** In META once every stored key is in the key index; a store written before the index had none. */
    private static final byte[] KEY_INDEX_BUILT = "keys.index.built".getBytes(StandardCharsets.UTF_8);
    /** Index entries written per batch while building the index of an older store. */
    private static final int INDEX_BUILD_BATCH = 1024;

    private final StorageEngine engine;
    private final String actor;
    private final InstantSource clock;
    private final ChangeListener listener;
    /** The highest counter of this actor in a state reaped here; what {@link #floor()} answers. */
    private final AtomicLong floor;

    public VersionedStore(StorageEngine engine, String actor, InstantSource clock) {
        this(engine, actor, clock, ChangeListener.NONE);
    }

    /** A store that tells {@code listener} of every change it makes (anti-entropy's trees). */
    public VersionedStore(StorageEngine engine, String actor, InstantSource clock, ChangeListener listener) {
        this.engine = engine;
        this.actor = actor;
        this.clock = clock;
        this.listener = listener;
        byte[] stored = engine.get(Namespace.META, FLOOR_KEY);
        this.floor = new AtomicLong(stored == null ? 0 : ByteBuffer.wrap(stored).getLong());
        if (engine.get(Namespace.META, KEY_INDEX_BUILT) == null) {
            buildKeyIndex();
        }
    }

    /**
     * Indexes every stored key, once, for a store written before the key index existed; before the node
     * serves, so no write races it. Every change after that keeps the index in its own transaction.
     */
    private void buildKeyIndex() {
        List<CompletableFuture<byte[]>> batch = new ArrayList<>();
        engine.scan(Namespace.DATA, new byte[1], null, (stored, value) -> {
            StorageKey key = StorageKey.decode(stored);
            batch.add(engine.put(Namespace.KEYS, key.indexKey(), key.indexValue()));
            if (batch.size() == INDEX_BUILD_BATCH) {
                awaitAll(batch);
            }
            return true;
        });
        awaitAll(batch);
        engine.put(Namespace.META, KEY_INDEX_BUILT, new byte[] {1}).join();
    }

    private static void awaitAll(List<CompletableFuture<byte[]>> writes) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        writes.clear();
    }

    /** Every dot this store issues has a counter above this: the highest of its actor in a state reaped here. */
    public long floor() {
        return floor.get();
    }

    /** The state this replica holds for a key; empty when it holds none. */
    public VersionedValue read(StorageKey key) {
        return decode(engine.get(Namespace.DATA, key.encode()));
    }

    /**
     * Coordinates a client write here: a new version by this node's actor, stamped with this node's
     * clock, that supersedes what {@code context} has seen, or, when the context is null, everything
     * this replica holds (what users expect of a plain DELETE). A delete is a tombstone content.
     * Completes with the key's new state once durable.
     */
    public CompletableFuture<VersionedValue> write(StorageKey key, VersionVector context, Content content,
            ConflictPolicy policy) {
        return write(key, context, content, policy, UNLIMITED);
    }

    /**
     * As {@link #write(StorageKey, VersionVector, Content, ConflictPolicy)}, refusing a write whose result
     * would pass {@code limits}: the future fails with {@link ObjectLimitException} and nothing changes.
     */
    public CompletableFuture<VersionedValue> write(StorageKey key, VersionVector context, Content content,
            ConflictPolicy policy, ObjectLimits limits) {
        Content stamped = content.stamped(clock.millis());
        // the floor is read inside the update, so a write that follows a reap of its key is above it
        return change(key, current -> current.put(context != null ? context : current.clock(), actor, floor.get(),
                stamped, policy), limits);
    }

    /** Merges another replica's state for a key into this one (replication, repair). */
    public CompletableFuture<VersionedValue> merge(StorageKey key, VersionedValue incoming, ConflictPolicy policy) {
        return change(key, current -> current.merge(incoming, policy), UNLIMITED);
    }

    /**
     * Removes each key whose state here is still a dead state (tombstones only, or values expired by this
     * node's clock) of the given {@link VersionHash} (compare-and-delete: a key written since stays), after
     * raising the counter floor durably above this actor's counters in them. Keys must be stored keys as
     * {@link StorageKey#encode} makes them. Completes with the keys removed.
     */
    public CompletableFuture<List<Reaped>> reap(List<KeyVersion> expected) {
        long highest = 0;
        long now = clock.millis();
        for (KeyVersion kv : expected) {
            VersionedValue current = decode(engine.get(Namespace.DATA, kv.key()));
            if (reapable(kv, current, now)) {
                highest = Math.max(highest, current.clock().get(actor));
            }
        }
        return raiseFloor(highest).thenCompose(ignored -> {
            List<CompletableFuture<Reaped>> removals = new ArrayList<>();
            for (KeyVersion kv : expected) {
                StorageKey key = StorageKey.decode(kv.key());
                AtomicReference<Reaped> removed = new AtomicReference<>();
                removals.add(change(key, current -> {
                    if (!reapable(kv, current, now)) {
                        removed.set(null);
                        return current;
                    }
                    removed.set(new Reaped(key, current.hasExpired(now), VersionedValueCodec.encode(current).length));
                    return VersionedValue.empty();
                }, UNLIMITED).thenApply(after -> after.equals(VersionedValue.empty()) ? removed.get() : null));
            }
            return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                    .thenApply(done -> removals.stream().map(CompletableFuture::join).filter(r -> r != null).toList());
        });
    }

    /** A key {@link #reap} removed: whether its state held an expired value (else only tombstones), and its stored size. */
    public record Reaped(StorageKey key, boolean expired, long bytes) {
    }

    /** A dead state (tombstones only, or values expired at {@code now}) in exactly the expected version. */
    private static boolean reapable(KeyVersion expected, VersionedValue current, long now) {
        return current.goneAt() <= now && VersionHash.of(expected.key(), current) == expected.version();
    }

    /**
     * Raises the floor to at least {@code counter}, in memory at once (writes from now on use it), then
     * durably. A raise still in flight commits before any later update of the engine's one writer.
     */
    private CompletableFuture<Void> raiseFloor(long counter) {
        if (counter <= floor.get()) {
            return CompletableFuture.completedFuture(null);
        }
        floor.accumulateAndGet(counter, Math::max);
        return engine.update(Namespace.META, FLOOR_KEY, current -> {
            long stored = current == null ? 0 : ByteBuffer.wrap(current).getLong();
            return ByteBuffer.allocate(Long.BYTES).putLong(Math.max(stored, counter)).array();
        }).thenApply(ignored -> null);
    }

    private CompletableFuture<VersionedValue> change(StorageKey key, UnaryOperator<VersionedValue> step,
            ObjectLimits limits) {
        // the engine may apply the change more than once; the last application is what was stored
        AtomicReference<VersionedValue> stored = new AtomicReference<>();
        AtomicReference<VersionedValue> replaced = new AtomicReference<>();
        AtomicReference<String> refused = new AtomicReference<>();
        // made only when the change creates or removes the key: an overwrite allocates no index entry
        Supplier<IndexEntry> index = () -> new IndexEntry(key.indexKey(), key.indexValue());
        return engine.update(Namespace.DATA, key.encode(), index, bytes -> {
            VersionedValue current = decode(bytes);
            VersionedValue next = step.apply(current);
            byte[] encoded = next.equals(VersionedValue.empty()) ? null : VersionedValueCodec.encode(next);
            int size = encoded == null ? 0 : encoded.length;
            refused.set(limits.refusal(next, size));
            if (refused.get() != null) {
                replaced.set(current);
                stored.set(current);
                return bytes; // as it was: a refused write changes nothing
            }
            if (limits.warns(next, size)) {
                nearLimits.warn("key " + key + " is near its object limits: " + next.siblings().size() + " siblings, "
                        + size + " bytes; its clients should resolve siblings (read, merge, write back with the context)");
            }
            replaced.set(current);
            stored.set(next);
            return encoded; // the empty state (a reaped key) is no entry at all
        }).thenApply(ignored -> {
            if (refused.get() != null) {
                throw new ObjectLimitException(refused.get());
            }
            listener.changed(key, replaced.get(), stored.get());
            return stored.get();
        });
    }

    /**
     * Up to {@code limit} keys of {@code bucket} that are live here (not only tombstones or expired values),
     * in unsigned byte order, each after {@code after} ({@code null}: from the first), of the ring positions
     * {@code wanted} accepts; read from the key index, looking at {@code budget} index entries at most.
     */
    public KeyPage keys(String bucket, byte[] after, LongPredicate wanted, int limit, int budget) {
        byte[] prefix = StorageKey.indexPrefix(bucket);
        byte[] from = after == null ? prefix : ByteBuffer.allocate(prefix.length + after.length + 1).put(prefix)
                .put(after).array(); // the trailing 0 makes it the first key after {@code after}
        long now = clock.millis();
        List<byte[]> keys = new ArrayList<>();
        AtomicReference<byte[]> stoppedAt = new AtomicReference<>();
        int[] looked = {0};
        engine.scan(Namespace.KEYS, from, StorageEngine.prefixEnd(prefix), (indexKey, position) -> {
            StorageKey key = StorageKey.fromIndex(bucket, indexKey, position);
            if (wanted.test(key.position()) && read(key).goneAt() > now) {
                keys.add(key.key());
            }
            if (keys.size() < limit && ++looked[0] < budget) {
                return true;
            }
            stoppedAt.set(key.key());
            return false;
        });
        return new KeyPage(keys, stoppedAt.get());
    }

    /**
     * Keys a replica listed: {@code frontier} is the last key it looked at when it stopped early, so it has
     * listed every key up to there; {@code null} when it looked at all of them.
     */
    public record KeyPage(List<byte[]> keys, byte[] frontier) {
    }

    private static VersionedValue decode(byte[] bytes) {
        return bytes == null ? VersionedValue.empty() : VersionedValueCodec.decode(bytes);
    }
}
