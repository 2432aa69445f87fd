package dev.dynamo.node.storage;

import dev.dynamo.node.storage.GroupCommitter.Write;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What every engine shares: writes through one {@link GroupCommitter}, argument checks, and a
 * lifecycle in which {@link #close} waits for the calls running, then refuses new ones, so an
 * engine never releases a file or native memory that a reader is still using.
 *
 * <p>Engines supply committed reads and scans, an atomic batch commit, a sync, and the release.
 */
abstract class GroupCommitStorageEngine implements StorageEngine {

    private final long maxSize;
    private final GroupCommitter committer;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    GroupCommitStorageEngine(String name, long maxSize, SyncPolicy sync, Duration syncInterval) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("max size must be positive, was " + maxSize);
        }
        this.maxSize = maxSize;
        this.committer = new GroupCommitter("dynamo-storage-writer-" + name, new GroupCommitter.Target() {
            @Override
            public byte[] read(Namespace namespace, byte[] key) {
                return readCommitted(namespace, key);
            }

            @Override
            public void commit(List<Write> writes) {
                commitBatch(writes);
            }

            @Override
            public void sync() {
                syncToDisk();
            }
        }, sync, syncInterval, GroupCommitter.DEFAULT_CAPACITY, GroupCommitter.DEFAULT_SATURATION_WAIT);
    }

    /** The committed value under {@code key}, as the caller's own array, or {@code null}. */
    abstract byte[] readCommitted(Namespace namespace, byte[] key);

    /** Visits a consistent snapshot of committed entries, as in {@link StorageEngine#scan}; {@code from < to}. */
    abstract void scanCommitted(Namespace namespace, byte[] from, byte[] to, EntryVisitor visitor);

    /** See {@link GroupCommitter.Target#commit}; use {@link #storeFull} to report no room. */
    abstract void commitBatch(List<Write> writes);

    /** See {@link GroupCommitter.Target#sync}. */
    abstract void syncToDisk();

    /** See {@link StorageEngine#sizeInBytes}. */
    abstract long usedBytes();

    /** Releases files and memory; runs once, after every call and write has finished. */
    abstract void release();

    final long maxSize() {
        return maxSize;
    }

    /** The one way engines say they are full, so the message is the same everywhere. */
    final StorageFullException storeFull(Throwable cause) {
        return new StorageFullException("storage is full: " + usedBytes() + " of " + maxSize
                + " bytes used; raise dynamo.storage.max-size or delete data", cause);
    }

    /** Creates an engine's directory if missing. */
    static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StorageException("cannot create storage directory " + directory, e);
        }
    }

    @Override
    public final byte[] get(Namespace namespace, byte[] key) {
        requireKey(key);
        if (namespace == null) {
            throw new IllegalArgumentException("namespace is required");
        }
        enter();
        try {
            return readCommitted(namespace, key);
        } finally {
            exit();
        }
    }

    @Override
    public final CompletableFuture<byte[]> update(Namespace namespace, byte[] key, Supplier<IndexEntry> index,
            UnaryOperator<byte[]> change) {
        requireKey(key);
        if (namespace == null || change == null) {
            throw new IllegalArgumentException("namespace and change are required");
        }
        enter();
        try {
            return committer.submit(namespace, key.clone(), index, change);
        } finally {
            exit();
        }
    }

    @Override
    public final void scan(Namespace namespace, byte[] from, byte[] to, EntryVisitor visitor) {
        if (namespace == null || from == null || visitor == null) {
            throw new IllegalArgumentException("namespace, from and visitor are required");
        }
        enter();
        try {
            if (to == null || Arrays.compareUnsigned(from, to) < 0) {
                scanCommitted(namespace, from, to, visitor);
            }
        } finally {
            exit();
        }
    }

    @Override
    public final long sizeInBytes() {
        enter();
        try {
            return usedBytes();
        } finally {
            exit();
        }
    }

    @Override
    public final void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lifecycle.writeLock().unlock();
        }
        committer.close();
        release();
    }

    private void enter() {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new IllegalStateException("storage engine " + getClass().getSimpleName() + " is closed");
        }
    }

    private void exit() {
        lifecycle.readLock().unlock();
    }

    private static void requireKey(byte[] key) {
        if (key == null || key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key must be 1 to " + MAX_KEY_BYTES + " bytes, was "
                    + (key == null ? "null" : key.length));
        }
    }
}
