package dev.dynamo.node.storage;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * This node's replica of the data: versioned values over the storage engine. Every change is a
 * read-merge-write done atomically inside the engine's group commit, so concurrent writes to one
 * key never lose each other.
 */
public final class VersionedStore {

    private final StorageEngine engine;
    private final String actor;
    private final InstantSource clock;
    private final ChangeListener listener;

    public VersionedStore(StorageEngine engine, String actor, InstantSource clock) {
        this(engine, actor, clock, ChangeListener.NONE);
    }

    /** A store that tells {@code listener} of every change it makes (anti-entropy's trees). */
    public VersionedStore(StorageEngine engine, String actor, InstantSource clock, ChangeListener listener) {
        this.engine = engine;
        this.actor = actor;
        this.clock = clock;
        this.listener = listener;
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
        Content stamped = new Content(content.value(), content.contentType(), clock.millis(), content.tombstone());
        return change(key, current -> current.put(context != null ? context : current.clock(), actor, stamped, policy));
    }

    /** Merges another replica's state for a key into this one (replication, repair). */
    public CompletableFuture<VersionedValue> merge(StorageKey key, VersionedValue incoming, ConflictPolicy policy) {
        return change(key, current -> current.merge(incoming, policy));
    }

    private CompletableFuture<VersionedValue> change(StorageKey key,
            UnaryOperator<VersionedValue> step) {
        // the engine may apply the change more than once; the last application is what was stored
        AtomicReference<VersionedValue> stored = new AtomicReference<>();
        AtomicReference<VersionedValue> replaced = new AtomicReference<>();
        return engine.update(Namespace.DATA, key.encode(), bytes -> {
            VersionedValue current = decode(bytes);
            VersionedValue next = step.apply(current);
            replaced.set(current);
            stored.set(next);
            return VersionedValueCodec.encode(next);
        }).thenApply(ignored -> {
            listener.changed(key, replaced.get(), stored.get());
            return stored.get();
        });
    }

    private static VersionedValue decode(byte[] bytes) {
        return bytes == null ? VersionedValue.empty() : VersionedValueCodec.decode(bytes);
    }
}
