package dev.dynamo.node.transfer;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.core.wire.Message.PartitionEntries.Entry;
import dev.dynamo.core.wire.Message.PartitionEntries.Estimate;
import dev.dynamo.core.wire.Message.PartitionEntries.Unsent;
import dev.dynamo.core.wire.Message.PartitionEntries;
import dev.dynamo.core.wire.Message.PartitionRead;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.VersionedStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The partitions this node pulls from other replicas: its side of a join, or of another node's
 * leave. Each is asked for in batches after a cursor; every entry is merged causally into this
 * node's data ({@link VersionedStore#merge}), so a live write that reached this node meanwhile is
 * never lost and siblings stay siblings; once a batch's merges are durable its cursor is kept in
 * META, so a restarted node resumes each transfer where its last durable batch ended. At most
 * {@code concurrency} partitions stream at once, all within {@code max-bytes-per-second}; a failed
 * request is retried after a doubling backoff until the source answers again or the caller names
 * another source. Before each batch a transfer asks the admission control: while client requests are
 * slow it keeps its slot and cursor and asks again after {@code retry-backoff} (section 6.5 of the
 * Dynamo paper), but for at most {@code max-yield} at a time: then it moves one batch anyway. Every step runs on the scheduler and none blocks.
 */
public final class Transfers {

    private final ClusterView cluster;
    private final VersionedStore store;
    private final Function<String, ConflictPolicy> conflicts;
    private final PeerCalls peers;
    private final Scheduler scheduler;
    private final InstantSource clock;
    private final TransferProperties properties;
    private final TransferStore kept;
    private final TokenBucket bandwidth;
    private final AdmissionControl admission;
    private final AtomicLong deferrals = new AtomicLong();
    private final Executor onScheduler;
    /** Every transfer by partition, in the order started; guarded by this. */
    private final Map<Integer, PartitionTransfer> transfers = new LinkedHashMap<>();
    /** Transfers holding a slot; guarded by this. */
    private int streaming;
    private boolean running;

    /**
     * A batch merged here, not yet counted: its last key, sent or not (null when empty), its size, the
     * entries it could not move and why, and what follows.
     */
    private record Batch(StorageKey last, int keys, long bytes, List<String> skipped, boolean exhausted,
            Estimate estimate) {
    }

    public Transfers(ClusterView cluster, StorageEngine engine, VersionedStore store,
            Function<String, ConflictPolicy> conflicts, PeerCalls peers, Scheduler scheduler, InstantSource clock,
            TransferProperties properties, AdmissionControl admission) {
        this.cluster = cluster;
        this.store = store;
        this.conflicts = conflicts;
        this.peers = peers;
        this.scheduler = scheduler;
        this.clock = clock;
        this.properties = properties;
        this.kept = new TransferStore(engine);
        this.bandwidth = new TokenBucket(properties.maxBytesPerSecond().toBytes(), clock);
        this.admission = admission;
        this.onScheduler = task -> scheduler.schedule(Duration.ZERO, task);
    }

    /** Loads the transfers kept in META and resumes every unfinished one from its cursor. */
    public synchronized void resume() {
        for (PartitionTransfer.Standing standing : kept.load()) {
            transfers.putIfAbsent(standing.range().partition(), new PartitionTransfer(standing));
        }
        running = true;
        dispatch();
    }

    /** Starts no more batches; a batch in flight still completes and is kept. */
    public synchronized void stop() {
        running = false;
    }

    /**
     * Starts pulling {@code partition} of the current ring from {@code source}, unless this node
     * has a transfer of it already, running or done: then does nothing. Either way returns a
     * future that completes once every entry of the partition is merged here and durable (or fails
     * with a {@link CancellationException} if the transfer is forgotten first).
     */
    public synchronized CompletableFuture<Void> start(int partition, Member source) {
        PartitionTransfer transfer = transfers.get(partition);
        if (transfer == null) {
            transfer = new PartitionTransfer(new PartitionRange(partitionCount(), partition), source);
            transfers.put(partition, transfer);
            kept.save(transfer.standing());
            dispatch();
        }
        return transfer.completion().copy();
    }

    /** Whether the transfer of {@code partition} is done: every entry merged here and durable. */
    public synchronized boolean isComplete(int partition) {
        PartitionTransfer transfer = transfers.get(partition);
        return transfer != null && transfer.state() == PartitionTransfer.State.DONE;
    }

    /**
     * Pulls the rest of {@code partition} from another replica, from the same cursor; a transfer
     * waiting to retry keeps waiting, then asks the new source. False when there is no such
     * transfer or it is done.
     */
    public synchronized boolean switchSource(int partition, Member source) {
        PartitionTransfer transfer = transfers.get(partition);
        if (transfer == null || transfer.state() == PartitionTransfer.State.DONE) {
            return false;
        }
        transfer.switchSource(source);
        kept.save(transfer.standing());
        return true;
    }

    /**
     * Forgets the transfer of {@code partition}, done or not (one streaming stops after its current
     * batch), so that a later {@link #start} pulls it anew.
     */
    public synchronized void forget(int partition) {
        PartitionTransfer transfer = transfers.remove(partition);
        if (transfer != null) {
            kept.delete(partition);
            transfer.completion().completeExceptionally(
                    new CancellationException("the transfer of partition " + partition + " was forgotten"));
        }
    }

    /** Every transfer this node knows, in the order they were started. */
    public synchronized List<TransferProgress> progress() {
        Instant now = clock.instant();
        return transfers.values().stream().map(t -> t.progress(now)).toList();
    }

    /** How many times a streaming transfer paused before a batch because client requests were slow. */
    public long deferrals() {
        return deferrals.get();
    }

    /** Gives free slots to pending transfers, in the order they were started. */
    private synchronized void dispatch() {
        if (!running) {
            return;
        }
        for (PartitionTransfer transfer : transfers.values()) {
            if (streaming == properties.concurrency()) {
                return;
            }
            if (transfer.state() == PartitionTransfer.State.PENDING) {
                transfer.stream(clock.instant());
                streaming++;
                scheduler.schedule(Duration.ZERO, () -> fetch(transfer));
            }
        }
    }

    /** Asks for the next batch once client requests are fast and the bandwidth allows, merges it, keeps its cursor. */
    private void fetch(PartitionTransfer transfer) {
        fetch(transfer, null);
    }

    /** @param yieldingSince when this transfer began yielding to client requests without a break; null if not */
    private void fetch(PartitionTransfer transfer, Instant yieldingSince) {
        if (!stillStreaming(transfer)) {
            return;
        }
        Instant now = clock.instant();
        // yielding forever would stall a ring change on a cluster that stays busy: a batch per max-yield moves anyway
        if (!admission.admits() && (yieldingSince == null
                || Duration.between(yieldingSince, now).compareTo(properties.maxYield()) < 0)) {
            deferrals.incrementAndGet();
            Instant since = yieldingSince == null ? now : yieldingSince;
            scheduler.schedule(properties.retryBackoff(), () -> fetch(transfer, since));
            return;
        }
        Duration wait = bandwidth.delay();
        if (!wait.isZero()) {
            scheduler.schedule(wait, () -> fetch(transfer));
            return;
        }
        PartitionRead request = transfer.nextRead(properties.batchKeys(), (int) properties.batchBytes().toBytes());
        peers.call(transfer.source(), request, PartitionEntries.class).thenComposeAsync(reply -> merge(transfer.source(), request, reply), onScheduler)
                .thenComposeAsync(batch -> keep(transfer, batch), onScheduler)
                .whenCompleteAsync((exhausted, error) -> batchDone(transfer, exhausted, error), onScheduler);
    }

    /**
     * Merges a reply's entries into this node's data, checking each (a stored key of the partition,
     * after the previous one, with a stored value); completes when all are durable. An entry whose value
     * cannot be read, and one the source could not send, is skipped and reported: asking for it again
     * would fail the same way for ever, stalling the ring change.
     */
    private CompletableFuture<Batch> merge(Member source, PartitionRead request, PartitionEntries batch) {
        if (batch.entries().isEmpty() && batch.unsent().isEmpty() && !batch.exhausted()) {
            throw new IllegalStateException(source.id() + " sent no entries yet said more follow");
        }
        byte[] previous = request.after() == null ? null : request.after().encode();
        StorageKey last = null;
        long bytes = 0;
        List<String> skipped = new ArrayList<>();
        List<CompletableFuture<VersionedValue>> merges = new ArrayList<>(batch.entries().size());
        for (Entry entry : batch.entries()) {
            StorageKey key = checkedKey(entry.key(), request.range(), previous);
            previous = entry.key();
            last = key;
            VersionedValue value;
            try {
                value = VersionedValueCodec.decode(entry.value());
            } catch (IllegalArgumentException unreadable) {
                skipped.add(key + ": its stored value cannot be read (" + unreadable.getMessage() + ")");
                continue;
            }
            merges.add(store.merge(key, value, conflicts.apply(key.bucket())));
            bytes += entry.size();
        }
        byte[] previousUnsent = request.after() == null ? null : request.after().encode();
        for (Unsent unsent : batch.unsent()) {
            StorageKey key = checkedKey(unsent.key(), request.range(), previousUnsent);
            previousUnsent = unsent.key();
            skipped.add(key + ": " + unsent.size() + " bytes, too large for the source to send in a message");
            if (last == null || Arrays.compareUnsigned(unsent.key(), last.encode()) > 0) {
                last = key;
            }
        }
        bandwidth.take(bytes);
        Batch merged = new Batch(last, merges.size(), bytes, skipped, batch.exhausted(), batch.estimate());
        return CompletableFuture.allOf(merges.toArray(CompletableFuture[]::new)).thenApply(done -> merged);
    }

    /** Counts a durable batch and keeps the cursor, unless the transfer was forgotten meanwhile. */
    private synchronized CompletableFuture<Boolean> keep(PartitionTransfer transfer, Batch batch) {
        if (transfers.get(transfer.partition()) != transfer) {
            return CompletableFuture.completedFuture(false);
        }
        batch.skipped().forEach(transfer::skip);
        transfer.advance(batch.last(), batch.keys(), batch.bytes(), batch.estimate(), clock.instant());
        return kept.save(transfer.standing()).thenApply(saved -> batch.exhausted());
    }

    private synchronized void batchDone(PartitionTransfer transfer, Boolean exhausted, Throwable error) {
        if (!stillStreaming(transfer)) {
            return;
        }
        if (error != null) {
            int failures = transfer.fail(String.valueOf(rootCause(error).getMessage()));
            release();
            scheduler.schedule(backoff(failures), () -> retry(transfer));
        } else if (exhausted) {
            transfer.finish();
            kept.save(transfer.standing());
            release();
        } else {
            scheduler.schedule(Duration.ZERO, () -> fetch(transfer));
        }
    }

    private synchronized void retry(PartitionTransfer transfer) {
        if (transfers.get(transfer.partition()) == transfer && transfer.state() == PartitionTransfer.State.FAILED) {
            transfer.retry();
            dispatch();
        }
    }

    /** Whether a streaming transfer goes on: false, giving its slot back, once stopped or forgotten. */
    private synchronized boolean stillStreaming(PartitionTransfer transfer) {
        if (running && transfers.get(transfer.partition()) == transfer) {
            return true;
        }
        if (running) {
            release();
        }
        return false;
    }

    private void release() {
        streaming--;
        dispatch();
    }

    /** {@code retry-backoff}, doubled for each further failure in a row, at most {@code max-retry-backoff}. */
    private Duration backoff(int failures) {
        Duration backoff = properties.retryBackoff();
        for (int i = 1; i < failures && backoff.compareTo(properties.maxRetryBackoff()) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(properties.maxRetryBackoff()) < 0 ? backoff : properties.maxRetryBackoff();
    }

    /**
     * A received key, checked: a stored key as {@link StorageKey#of} makes it (a wrong ring position
     * would file it under another partition), in the partition, and after the previous one.
     */
    private static StorageKey checkedKey(byte[] bytes, PartitionRange range, byte[] previous) {
        StorageKey key = StorageKey.decode(bytes);
        if (!Arrays.equals(StorageKey.of(key.bucket(), key.key()).encode(), bytes)) {
            throw new IllegalArgumentException("received key " + key + " has a ring position its name does not give");
        }
        if (!range.contains(key.position())) {
            throw new IllegalArgumentException("received key " + key + " is not in " + range);
        }
        if (previous != null && Arrays.compareUnsigned(previous, bytes) >= 0) {
            throw new IllegalArgumentException("received key " + key + " out of order");
        }
        return key;
    }

    private static Throwable rootCause(Throwable error) {
        return Futures.cause(error);
    }

    /** Q of the ring this node follows, member or not: a joining node pulls before it is one. */
    private int partitionCount() {
        return cluster.ring().orElseThrow(() -> new IllegalStateException("this node has no ring yet")).partitions();
    }
}
