package dev.dynamo.node.transfer;

import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.Message.PartitionEntries;
import dev.dynamo.core.wire.Message.PartitionEntries.Entry;
import dev.dynamo.core.wire.Message.PartitionEntries.Estimate;
import dev.dynamo.core.wire.Message.PartitionEntries.Unsent;
import dev.dynamo.core.wire.Message.PartitionRead;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves other nodes' pulls of a partition from this node's DATA namespace. A batch is one scan of
 * the partition's range from just after the cursor, stopped as soon as it is full, so serving holds
 * one batch in memory whatever the partition's size. Scans run on the scheduler, off the transport's
 * threads. Entries go out as stored: no decoding here. An entry too large to fit a message alone (one
 * stored before the object limits existed, or under a larger frame limit) is not sent but named in the
 * batch's {@code unsent}, so the pulling node reports it and moves on instead of asking for it forever.
 */
public final class PartitionSource {

    /** Sizing up a partition reads at most this many of its first entries... */
    static final int SAMPLE_KEYS = 4096;
    /** ...and at most this many of their bytes. */
    static final long SAMPLE_BYTES = 8L << 20;

    /** Room a batch's message takes besides one entry's key and value: its type, counts, lengths, flags, estimate. */
    static final int MESSAGE_OVERHEAD = 64;

    private final StorageEngine engine;
    private final Scheduler scheduler;
    private final long maxEntryBytes;
    private final AtomicLong served = new AtomicLong();

    /** @param maxMessageSize the largest message the transport sends: no entry larger than fits one is sent */
    public PartitionSource(StorageEngine engine, Scheduler scheduler, int maxMessageSize) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.maxEntryBytes = maxMessageSize - MESSAGE_OVERHEAD;
    }

    /** Answers a pull with the next batch; fails when the store cannot be read. */
    public CompletableFuture<Message> serve(PartitionRead request) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        scheduler.schedule(Duration.ZERO, () -> {
            try {
                reply.complete(read(request));
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    /** How many entries this node has sent to pulling nodes since it started. */
    public long entriesServed() {
        return served.get();
    }

    private PartitionEntries read(PartitionRead request) {
        PartitionRange range = request.range();
        byte[] from = request.after() == null ? range.start() : successor(request.after().encode());
        List<Entry> entries = new ArrayList<>();
        List<Unsent> unsent = new ArrayList<>();
        long[] size = {0};
        boolean[] more = {false};
        engine.scan(Namespace.DATA, from, range.end(), (key, value) -> {
            Entry entry = new Entry(key, value);
            if (entries.size() + unsent.size() == request.maxKeys()
                    || (!entries.isEmpty() && size[0] + entry.size() > request.maxBytes())) {
                more[0] = true;
                return false;
            }
            if (entry.size() > maxEntryBytes) {
                unsent.add(new Unsent(key, entry.size()));
                return true;
            }
            entries.add(entry);
            size[0] += entry.size();
            return true;
        });
        served.addAndGet(entries.size());
        return new PartitionEntries(entries, unsent, !more[0], request.after() == null ? estimate(range) : null);
    }

    /**
     * The partition's entries and bytes: counted exactly when it has at most {@link #SAMPLE_KEYS}
     * entries (and {@link #SAMPLE_BYTES}), otherwise extrapolated from its first entries. Ring
     * positions are MD5 bits, spread evenly, so the first entries up to a position are about the
     * share of the whole that the position's offset is of the partition's width.
     */
    Estimate estimate(PartitionRange range) {
        long[] counted = {0, 0};
        byte[][] last = {null};
        boolean[] sampled = {false};
        engine.scan(Namespace.DATA, range.start(), range.end(), (key, value) -> {
            if (counted[0] == SAMPLE_KEYS || counted[1] >= SAMPLE_BYTES) {
                sampled[0] = true;
                return false;
            }
            counted[0]++;
            counted[1] += key.length + value.length;
            last[0] = key;
            return true;
        });
        if (!sampled[0]) {
            return new Estimate(counted[0], counted[1]);
        }
        double share = range.shareUpTo(ByteBuffer.wrap(last[0]).getLong());
        return new Estimate(Math.round(counted[0] / share), Math.round(counted[1] / share));
    }

    /** The first key after {@code key} in unsigned byte order: where a scan resumes. */
    static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }
}
