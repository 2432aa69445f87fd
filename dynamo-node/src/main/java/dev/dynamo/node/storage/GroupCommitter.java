package dev.dynamo.node.storage;

import dev.dynamo.node.storage.StorageEngine.IndexEntry;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread that turns many concurrent updates into few transactions: it takes every
 * update waiting (up to {@link #MAX_BATCH_UPDATES} or {@link #MAX_BATCH_BYTES}), applies their
 * change functions in arrival order against the store's committed state plus the batch so far,
 * commits the result as one transaction, then completes the futures. An update that creates or
 * removes its key writes its {@link IndexEntry} in the same transaction.
 *
 * <p>The queue holds at most {@code capacity} updates; a caller finding it full waits up to
 * {@code saturationWait} for room, then gets a failed future. A bounded wait keeps a stalled
 * disk from piling up unbounded memory, while a short burst only slows callers down.
 *
 * <p>Syncing: under {@link SyncPolicy#ALWAYS} the store's own commit is durable (how differs per
 * engine); under {@link SyncPolicy#INTERVAL} the writer syncs between batches once the interval
 * has passed (measured on the monotonic {@code System.nanoTime}); and on close it syncs what is
 * left unless the policy is {@link SyncPolicy#NEVER}. Syncing on the writer keeps it ordered with
 * commits and needs no second thread.
 *
 * <p>The writer starts with the first update, so a store that fails to open leaves no thread.
 */
final class GroupCommitter {

    static final int MAX_BATCH_UPDATES = 1024;
    static final long MAX_BATCH_BYTES = 4L << 20;
    static final int DEFAULT_CAPACITY = 4096;
    static final Duration DEFAULT_SATURATION_WAIT = Duration.ofSeconds(5);

    /** What the store behind the writer provides. Called on the writer thread only. */
    interface Target {
        /** The committed value, or {@code null}. */
        byte[] read(Namespace namespace, byte[] key);

        /**
         * Applies every write in one transaction, durably if the store's policy says so, or
         * none of them.
         *
         * @throws StorageFullException when there is no room; nothing was applied
         */
        void commit(List<Write> writes);

        /** Forces every committed write to disk. */
        void sync();
    }

    /** The final value of one key in a batch; {@code null} deletes it. */
    record Write(Namespace namespace, byte[] key, byte[] value) {
    }

    private record Update(Namespace namespace, byte[] key, Supplier<IndexEntry> index, UnaryOperator<byte[]> change,
                          CompletableFuture<byte[]> result) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    private static final Update STOP = new Update(null, null, null, null, null);

    private final Target target;
    private final long syncIntervalNanos;
    private final boolean syncOnClose;
    private final Duration saturationWait;
    private final BlockingQueue<Update> queue;
    private final Thread writer;
    private final AtomicBoolean started = new AtomicBoolean();
    private boolean unsynced;

    /** @param syncInterval how often the timer syncs under {@link SyncPolicy#INTERVAL} */
    GroupCommitter(String name, Target target, SyncPolicy policy, Duration syncInterval,
                   int capacity, Duration saturationWait) {
        if (policy == SyncPolicy.INTERVAL && (syncInterval == null || !syncInterval.isPositive())) {
            throw new IllegalArgumentException("sync policy INTERVAL needs a positive sync interval, was " + syncInterval);
        }
        this.target = target;
        this.syncIntervalNanos = policy == SyncPolicy.INTERVAL ? syncInterval.toNanos() : 0;
        this.syncOnClose = policy != SyncPolicy.NEVER;
        this.saturationWait = saturationWait;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().name(name).daemon().unstarted(this::loop);
    }

    /** Queues an update; its future completes once committed, see {@link StorageEngine#update}. */
    CompletableFuture<byte[]> submit(Namespace namespace, byte[] key, Supplier<IndexEntry> index,
            UnaryOperator<byte[]> change) {
        Update update = new Update(namespace, key, index, change, new CompletableFuture<>());
        if (!started.get() && started.compareAndSet(false, true)) {
            writer.start();
        }
        try {
            if (!queue.offer(update, saturationWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return CompletableFuture.failedFuture(new StorageException("storage writer saturated: "
                        + queue.size() + " updates still queued after waiting " + saturationWait));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new StorageException("interrupted waiting for the storage writer", e));
        }
        return update.result;
    }

    /** Commits everything queued, syncs unless the policy is NEVER, and stops the writer. Call once, after the last submit. */
    void close() {
        if (!started.getAndSet(true)) {
            return; // never started: nothing was written
        }
        boolean interrupted = false;
        boolean stopQueued = false;
        while (writer.isAlive()) { // the writes already queued must be completed even if we are interrupted
            try {
                if (!stopQueued) {
                    queue.put(STOP);
                    stopQueued = true;
                }
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        long nextSync = System.nanoTime() + syncIntervalNanos;
        for (Update first = nextUpdate(nextSync); first != STOP; first = nextUpdate(nextSync)) {
            if (first != null && commitBatch(first)) {
                break; // STOP came inside the batch
            }
            if (syncIntervalNanos > 0 && System.nanoTime() - nextSync >= 0) {
                syncIfNeeded();
                nextSync = System.nanoTime() + syncIntervalNanos;
            }
        }
        if (syncOnClose) {
            syncIfNeeded();
        }
    }

    /** The next update, or {@code null} when the sync timer is due first. */
    private Update nextUpdate(long nextSync) {
        try {
            return syncIntervalNanos > 0
                    ? queue.poll(nextSync - System.nanoTime(), TimeUnit.NANOSECONDS)
                    : queue.take();
        } catch (InterruptedException e) {
            return null; // nobody should interrupt the writer; carry on, close() stops it with STOP
        }
    }

    /** Applies, commits and completes one batch starting with {@code first}; true if STOP was reached. */
    private boolean commitBatch(Update first) {
        Map<Slot, byte[]> batch = new LinkedHashMap<>();
        List<Applied> applied = new ArrayList<>();
        int taken = 0;
        long bytes = 0;
        boolean stopping = false;
        for (Update update = first; update != null;
             update = taken < MAX_BATCH_UPDATES && bytes < MAX_BATCH_BYTES ? queue.poll() : null) {
            if (update == STOP) {
                stopping = true;
                break;
            }
            taken++;
            Slot slot = new Slot(update.namespace, update.key);
            try {
                byte[] current = batch.containsKey(slot) ? batch.get(slot) : target.read(update.namespace, update.key);
                byte[] next = update.change.apply(current);
                batch.put(slot, next);
                applied.add(new Applied(update, next));
                bytes += update.key.length + (next == null ? 0 : next.length);
                if (update.index != null && (current == null) != (next == null)) {
                    IndexEntry entry = update.index.get();
                    batch.put(new Slot(Namespace.KEYS, entry.key()), next == null ? null : entry.value());
                    bytes += entry.key().length;
                }
            } catch (RuntimeException | Error e) {
                update.result.completeExceptionally(e); // the writer must outlive any one change
            }
        }
        if (!applied.isEmpty()) {
            StorageException failure = commit(batch);
            for (Applied done : applied) {
                if (failure == null) {
                    done.update.result.complete(done.value);
                } else {
                    done.update.result.completeExceptionally(failure);
                }
            }
        }
        return stopping;
    }

    /** An update whose change ran, and the value it produced. */
    private record Applied(Update update, byte[] value) {
    }

    /** Commits a batch; returns the failure every update of it gets, or {@code null}. */
    private StorageException commit(Map<Slot, byte[]> batch) {
        List<Write> writes = new ArrayList<>(batch.size());
        batch.forEach((slot, value) -> writes.add(new Write(slot.namespace, slot.key, value)));
        try {
            target.commit(writes);
            unsynced = true;
            return null;
        } catch (StorageException e) {
            return e;
        } catch (RuntimeException | Error e) {
            return new StorageException("commit of " + writes.size() + " writes failed", e);
        }
    }

    private void syncIfNeeded() {
        if (unsynced) {
            try {
                target.sync();
                unsynced = false;
            } catch (RuntimeException e) {
                LOG.warn("storage sync failed; retrying at the next tick or at close", e);
            }
        }
    }

    /** A key within a namespace, compared by content so a batch can find its own earlier writes. */
    private record Slot(Namespace namespace, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Slot other && namespace == other.namespace && Arrays.equals(key, other.key);
        }

        @Override
        public int hashCode() {
            return 31 * namespace.hashCode() + Arrays.hashCode(key);
        }
    }
}
