package dev.dynamo.node.storage;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An ordered, durable map of byte-string keys to byte-string values, split into namespaces.
 *
 * <p>Keys are 1 to {@link #MAX_KEY_BYTES} bytes; values any length, {@code null} meaning absent.
 *
 * <p>Threading: every method may be called from any number of threads at once. Reads see every
 * write whose future has completed; they may or may not see writes still in flight. Futures
 * complete on the engine's writer thread: callers should chain slow work with the
 * {@code *Async} methods.
 *
 * <p>Ordering: keys compare as unsigned bytes, lexicographically, so a partition (a range of the
 * hash prefix, see {@code dev.dynamo.core.key.StorageKey}) is one contiguous {@link #scan} range.
 *
 * <p>Writes are group-committed: concurrent {@link #update} calls are applied by one writer, many
 * to a transaction, and each future completes once its transaction is committed (and flushed to
 * disk if the sync policy is {@link SyncPolicy#ALWAYS}). Updates of one key apply in call order.
 * When the writer is saturated, {@link #update} blocks briefly, then fails its future with a
 * {@link StorageException}.
 */
public interface StorageEngine extends AutoCloseable {

    /** Longest key: room for every stored key (at most 1,097 bytes) and keys built around one. */
    int MAX_KEY_BYTES = 65_535;

    /**
     * Separate key spaces: replicated data, hints for other nodes, this node's own metadata, and an index
     * of the data's keys in another order ({@link IndexEntry}).
     */
    enum Namespace { DATA, HINTS, META, KEYS }

    /**
     * An entry of {@link Namespace#KEYS} that {@link #update(Namespace, byte[], Supplier, UnaryOperator)}
     * keeps present exactly while the key it indexes is.
     */
    record IndexEntry(byte[] key, byte[] value) {
    }

    /** The value stored under {@code key}, or {@code null} when there is none. */
    byte[] get(Namespace namespace, byte[] key);

    /**
     * Replaces the value under {@code key} by {@code change.apply(current)} (current is
     * {@code null} when absent; a {@code null} result deletes the key), atomically with respect
     * to every other update. The function runs on the writer thread inside the transaction: it
     * must be quick, pure, and may run more than once. If it throws, that update fails with the
     * exception and the rest of the batch commits. The future completes with the stored value
     * (or {@code null}) once durable per the sync policy, or exceptionally with
     * {@link StorageFullException} when the store has no room, or {@link StorageException}.
     */
    default CompletableFuture<byte[]> update(Namespace namespace, byte[] key, UnaryOperator<byte[]> change) {
        return update(namespace, key, null, change);
    }

    /**
     * As {@link #update(Namespace, byte[], UnaryOperator)}, and in the same transaction puts the {@code index} entry
     * when the update creates {@code key} and deletes it when the update removes {@code key} ({@code null}:
     * no index). Asked for and written only on those changes, so the index costs an update nothing otherwise;
     * it stays exact as long as every change of {@code key} names the same entry. An entry's key is no longer
     * than {@code key}.
     */
    CompletableFuture<byte[]> update(Namespace namespace, byte[] key, Supplier<IndexEntry> index,
            UnaryOperator<byte[]> change);

    /** Stores {@code value} under {@code key}; see {@link #update}. */
    default CompletableFuture<byte[]> put(Namespace namespace, byte[] key, byte[] value) {
        return update(namespace, key, current -> value);
    }

    /** Removes {@code key}; see {@link #update}. */
    default CompletableFuture<byte[]> delete(Namespace namespace, byte[] key) {
        return update(namespace, key, current -> null);
    }

    /**
     * Visits, in key order, every entry with {@code from <= key < to} ({@code to == null}: to the
     * end) until the visitor returns {@code false}. The visit sees one consistent snapshot; the
     * arrays passed to the visitor are its own to keep.
     */
    void scan(Namespace namespace, byte[] from, byte[] to, EntryVisitor visitor);

    /**
     * The first key after every key that starts with {@code prefix}: the {@code to} of a {@link #scan} of
     * those keys; {@code null} (to the end) when there is none.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    /** Bytes used on disk (or in memory) by this store, as the engine best knows it. */
    long sizeInBytes();

    /**
     * Completes in-flight writes, flushes (unless the sync policy is {@link SyncPolicy#NEVER}),
     * and releases files. Calls after close throw {@link IllegalStateException}; closing again
     * does nothing.
     */
    @Override
    void close();

    /** Receives one entry of a {@link #scan}. */
    @FunctionalInterface
    interface EntryVisitor {
        /** @return {@code false} to stop the scan */
        boolean visit(byte[] key, byte[] value);
    }
}
