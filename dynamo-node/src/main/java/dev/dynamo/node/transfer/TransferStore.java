package dev.dynamo.node.transfer;

import dev.dynamo.core.bytes.ByteReader;
import dev.dynamo.core.bytes.ByteWriter;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.wire.Message.PartitionEntries.Estimate;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps each transfer's {@link PartitionTransfer.Standing} in the node's META namespace, under
 * {@code "transfer/"} and the partition as four big-endian bytes, so a restarted node finds its
 * transfers in partition order and resumes each from its cursor. The stored form:
 * <pre>
 * [format version: 1][partitions: varint][partition: varint][done: 0/1]
 * [source id, address, zone: varint length + UTF-8 each]
 * [cursor: 0/1, then varint length + stored key][keys: varint][bytes: varint]
 * [estimate: 0/1, then keys: varint, bytes: varint]
 * </pre>
 */
final class TransferStore {

    private static final int FORMAT_VERSION = 1;
    private static final byte[] PREFIX = "transfer/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREFIX_END = "transfer0".getBytes(StandardCharsets.US_ASCII); // '0' follows '/'

    private final StorageEngine engine;

    TransferStore(StorageEngine engine) {
        this.engine = engine;
    }

    /** Keeps a transfer's standing; completes once durable. */
    CompletableFuture<Void> save(PartitionTransfer.Standing standing) {
        return engine.put(Namespace.META, key(standing.range().partition()), encode(standing)).thenApply(stored -> null);
    }

    /** Forgets a partition's transfer. */
    CompletableFuture<Void> delete(int partition) {
        return engine.delete(Namespace.META, key(partition)).thenApply(stored -> null);
    }

    /** Every kept transfer, in partition order. */
    List<PartitionTransfer.Standing> load() {
        List<PartitionTransfer.Standing> kept = new ArrayList<>();
        engine.scan(Namespace.META, PREFIX, PREFIX_END, (key, value) -> kept.add(decode(value)));
        return kept;
    }

    private static byte[] key(int partition) {
        return ByteBuffer.allocate(PREFIX.length + Integer.BYTES).put(PREFIX).putInt(partition).array();
    }

    static byte[] encode(PartitionTransfer.Standing s) {
        ByteWriter out = new ByteWriter(128);
        out.writeByte(FORMAT_VERSION);
        out.writeVarLong(s.range().partitions());
        out.writeVarLong(s.range().partition());
        out.writeByte(s.done() ? 1 : 0);
        out.writeString(s.source().id());
        out.writeString(s.source().address());
        out.writeString(s.source().zone());
        out.writeByte(s.cursor() == null ? 0 : 1);
        if (s.cursor() != null) {
            out.writeBytes(s.cursor().encode());
        }
        out.writeVarLong(s.keys());
        out.writeVarLong(s.bytes());
        out.writeByte(s.estimate() == null ? 0 : 1);
        if (s.estimate() != null) {
            out.writeVarLong(s.estimate().keys());
            out.writeVarLong(s.estimate().bytes());
        }
        return out.toByteArray();
    }

    static PartitionTransfer.Standing decode(byte[] bytes) {
        ByteReader in = ByteReader.of(bytes, what -> new IllegalArgumentException("kept transfer " + what));
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw in.error("has format version " + version + ", this node reads " + FORMAT_VERSION);
        }
        PartitionRange range = new PartitionRange((int) in.readVarLong(), (int) in.readVarLong());
        boolean done = in.readByte() == 1;
        Member source = new Member(in.readString(), in.readString(), in.readString());
        StorageKey cursor = in.readByte() == 1 ? StorageKey.decode(in.readBytes()) : null;
        long keys = in.readVarLong();
        long size = in.readVarLong();
        Estimate estimate = in.readByte() == 1 ? new Estimate(in.readVarLong(), in.readVarLong()) : null;
        return new PartitionTransfer.Standing(range, source, cursor, keys, size, estimate, done);
    }
}
