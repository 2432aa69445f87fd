package dev.dynamo.node.transfer;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.wire.Message.PartitionEntries.Estimate;
import dev.dynamo.core.wire.Message.PartitionRead;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition this node pulls from a replica: its state, where it stands and how fast it goes.
 *
 * <p>PENDING (waiting for one of the slots that bound how many stream at once) → STREAMING (holding
 * one: asking for batches after the cursor and merging them) → DONE. A failed request makes it
 * FAILED, which gives its slot back; after a backoff it retries by going PENDING again. One method
 * per transition, each checked and logged. Thread-safe.
 */
final class PartitionTransfer {

    private static final Logger log = LoggerFactory.getLogger(PartitionTransfer.class);

    enum State { PENDING, STREAMING, FAILED, DONE }

    /**
     * What survives a restart: the cursor (the last stored key merged and durable; null before the
     * first batch), the counts up to it, the source's estimate, and whether it is done.
     */
    record Standing(PartitionRange range, Member source, StorageKey cursor, long keys, long bytes,
            Estimate estimate, boolean done) {
    }

    private final PartitionRange range;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final RateMeter rate = new RateMeter();
    private State state;
    private Member source;
    private StorageKey cursor;
    private long keys;
    private long bytes;
    private Estimate estimate;
    private int failures;
    private String lastError;
    private long skipped;
    private String lastSkipped;

    /** A transfer as it was kept: done, or PENDING from its cursor. */
    PartitionTransfer(Standing standing) {
        this.range = standing.range();
        this.source = standing.source();
        this.cursor = standing.cursor();
        this.keys = standing.keys();
        this.bytes = standing.bytes();
        this.estimate = standing.estimate();
        this.state = standing.done() ? State.DONE : State.PENDING;
        if (standing.done()) {
            completion.complete(null);
        }
    }

    /** A new transfer of a whole partition. */
    PartitionTransfer(PartitionRange range, Member source) {
        this(new Standing(range, source, null, 0, 0, null, false));
        log.info("transfer of partition {} from {}: {}", range.partition(), source.id(), state);
    }

    int partition() {
        return range.partition();
    }

    synchronized State state() {
        return state;
    }

    synchronized Member source() {
        return source;
    }

    /** Completes once every entry is merged here and durable. */
    CompletableFuture<Void> completion() {
        return completion;
    }

    synchronized Standing standing() {
        return new Standing(range, source, cursor, keys, bytes, estimate, state == State.DONE);
    }

    /** The request for the batch after the cursor; the first one asks for an estimate too. */
    synchronized PartitionRead nextRead(int maxKeys, int maxBytes) {
        require(State.STREAMING, "ask for a batch");
        return new PartitionRead(range, cursor, maxKeys, maxBytes);
    }

    /** PENDING → STREAMING: it got a slot at {@code now}, where its rate starts from. */
    synchronized void stream(Instant now) {
        require(State.PENDING, "stream");
        rate.record(now, bytes);
        moveTo(State.STREAMING);
    }

    /**
     * A batch up to {@code last} (null when it was empty) is merged and durable: {@code batchKeys}
     * entries, {@code batchBytes} bytes; the first batch brings the source's estimate.
     */
    synchronized void advance(StorageKey last, int batchKeys, long batchBytes, Estimate sourceEstimate, Instant now) {
        require(State.STREAMING, "advance");
        cursor = last != null ? last : cursor;
        keys += batchKeys;
        bytes += batchBytes;
        estimate = sourceEstimate != null ? sourceEstimate : estimate;
        failures = 0;
        lastError = null;
        rate.record(now, bytes);
    }

    /** An entry of the partition that cannot be moved, with why: reported, and not asked for again. */
    synchronized void skip(String entry) {
        skipped++;
        lastSkipped = entry;
        log.warn("transfer of partition {} from {} skips {}", partition(), source.id(), entry);
    }

    /** STREAMING → FAILED; returns how many requests failed in a row. */
    synchronized int fail(String error) {
        require(State.STREAMING, "fail");
        failures++;
        lastError = error;
        moveTo(State.FAILED);
        return failures;
    }

    /** FAILED → PENDING: the backoff is over. */
    synchronized void retry() {
        require(State.FAILED, "retry");
        moveTo(State.PENDING);
    }

    /** STREAMING → DONE: the source said no entry follows the cursor. */
    synchronized void finish() {
        require(State.STREAMING, "finish");
        moveTo(State.DONE);
        completion.complete(null);
    }

    /** Pulls the rest from another replica, from the same cursor: any replica holds the same key range. */
    synchronized void switchSource(Member next) {
        if (state == State.DONE) {
            throw new IllegalStateException("partition " + partition() + " is transferred already");
        }
        log.info("transfer of partition {}: source {} -> {}", partition(), source.id(), next.id());
        source = next;
    }

    synchronized TransferProgress progress(Instant now) {
        boolean done = state == State.DONE;
        long perSecond = done ? 0 : Math.round(rate.perSecond(now));
        Long keysTotal = done ? (Long) keys : estimate == null ? null : Math.max(estimate.keys(), keys);
        Long bytesTotal = done ? (Long) bytes : estimate == null ? null : Math.max(estimate.bytes(), bytes);
        Long eta = done ? (Long) 0L : bytesTotal == null || perSecond == 0 ? null
                : Math.ceilDiv(bytesTotal - bytes, perSecond);
        return new TransferProgress(partition(), source.id(), source.address(), state.name(), keys, keysTotal, bytes,
                bytesTotal, perSecond, eta, failures, lastError, skipped, lastSkipped);
    }

    private void require(State expected, String what) {
        if (state != expected) {
            throw new IllegalStateException("cannot " + what + " the transfer of partition " + partition() + " in state "
                    + state + ", only in " + expected);
        }
    }

    private void moveTo(State next) {
        State previous = state;
        state = next;
        // a source that stays down fails every backoff: say so once, not at every retry
        if (failures <= 1) {
            log.info("transfer of partition {} from {}: {} -> {}{}", partition(), source.id(), previous, next,
                    next == State.FAILED ? " (" + lastError + ")" : "");
        } else {
            log.debug("transfer of partition {} from {}: {} -> {} ({} failures in a row: {})", partition(), source.id(),
                    previous, next, failures, lastError);
        }
    }
}
