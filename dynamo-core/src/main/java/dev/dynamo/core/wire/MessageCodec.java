package dev.dynamo.core.wire;

import static dev.dynamo.core.wire.WireFields.checked;
import static dev.dynamo.core.wire.WireFields.malformed;
import static dev.dynamo.core.wire.WireFields.readFlag;
import static dev.dynamo.core.wire.WireFields.readInt;
import static dev.dynamo.core.wire.WireFields.readList;
import static dev.dynamo.core.wire.WireFields.readOptional;
import static dev.dynamo.core.wire.WireFields.readOrdinal;
import static dev.dynamo.core.wire.WireFields.writeOptional;

import dev.dynamo.core.bytes.ByteReader;
import dev.dynamo.core.bytes.ByteWriter;
import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.membership.MembershipViewCodec;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.core.wire.Message.Ack;
import dev.dynamo.core.wire.Message.CoordinateWrite;
import dev.dynamo.core.wire.Message.Coordinated;
import dev.dynamo.core.wire.Message.Describe;
import dev.dynamo.core.wire.Message.Described;
import dev.dynamo.core.wire.Message.Failure;
import dev.dynamo.core.wire.Message.KeysListed;
import dev.dynamo.core.wire.Message.KeysRead;
import dev.dynamo.core.wire.Message.PartitionEntries;
import dev.dynamo.core.wire.Message.PartitionEntries.Entry;
import dev.dynamo.core.wire.Message.PartitionEntries.Estimate;
import dev.dynamo.core.wire.Message.PartitionEntries.Unsent;
import dev.dynamo.core.wire.Message.PartitionRead;
import dev.dynamo.core.wire.Message.GossipAck;
import dev.dynamo.core.wire.Message.GossipPush;
import dev.dynamo.core.wire.Message.GossipSyn;
import dev.dynamo.core.wire.Message.QuorumFailed;
import dev.dynamo.core.wire.Message.ReplicaRead;
import dev.dynamo.core.wire.Message.ReplicaValue;
import dev.dynamo.core.wire.Message.ReplicaWrite;
import dev.dynamo.core.wire.Message.LeafRead;
import dev.dynamo.core.wire.Message.LeafVersions;
import dev.dynamo.core.wire.Message.TombstoneCheck;
import dev.dynamo.core.wire.Message.TombstoneReap;
import dev.dynamo.core.wire.Message.TombstonesHeld;
import dev.dynamo.core.wire.Message.TombstonesReaped;
import dev.dynamo.core.wire.Message.TreeHashes;
import dev.dynamo.core.wire.Message.TreeRead;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The binary form of an internode {@link Message}: a type tag byte, then the record's fields in order. The tag
 * doubles as the format version: a changed layout gets new tags, so old and new nodes can tell each
 * other's messages apart. Fields use the {@link ByteWriter} primitives; ints are zig-zag varints,
 * a nullable field is a 0/1 presence byte before it, versioned values are their stored form
 * ({@link VersionedValueCodec}) and keys {@link StorageKey#encode()}, each length-prefixed, so
 * storage and wire share one encoding. {@link Failure.Kind} is written as its ordinal: new kinds
 * go last.
 *
 * <p>{@link #decode} takes bytes from the network: whatever they are, it returns a valid message
 * or throws an IllegalArgumentException saying what is wrong, and no length they claim makes it
 * allocate more than they hold.
 */
public final class MessageCodec {

    private static final int DESCRIBE = 1;
    private static final int DESCRIBED = 2;
    private static final int REPLICA_READ = 3;
    private static final int REPLICA_VALUE = 4;
    private static final int REPLICA_WRITE = 5;
    private static final int ACK = 6;
    private static final int COORDINATE_WRITE = 7;
    private static final int COORDINATED = 8;
    private static final int QUORUM_FAILED = 9;
    private static final int FAILURE = 10;
    // membership: 30 to 39
    private static final int GOSSIP_SYN = 30;
    private static final int GOSSIP_ACK = 31;
    private static final int GOSSIP_PUSH = 32;

    // partition transfer: 40 to 49
    private static final int PARTITION_READ = 40;
    private static final int PARTITION_ENTRIES = 41;

    // anti-entropy: 50 to 59
    private static final int TREE_READ = 50;
    private static final int TREE_HASHES = 51;
    private static final int LEAF_READ = 52;
    private static final int LEAF_VERSIONS = 53;
    private static final int TOMBSTONE_CHECK = 54;
    private static final int TOMBSTONES_HELD = 55;
    private static final int TOMBSTONE_REAP = 56;
    private static final int TOMBSTONES_REAPED = 57;
    // key listing
    private static final int KEYS_READ = 58;
    private static final int KEYS_LISTED = 59;

    private static final Failure.Kind[] KINDS = Failure.Kind.values();

    private MessageCodec() {
    }

    /** The binary form of {@code message}. */
    public static byte[] encode(Message message) {
        ByteWriter out = new ByteWriter(64);
        switch (message) {
            case Describe() -> out.writeByte(DESCRIBE);
            case Described(Member member) -> {
                out.writeByte(DESCRIBED);
                out.writeString(member.id());
                out.writeString(member.address());
                out.writeString(member.zone());
            }
            case ReplicaRead(StorageKey key, String hintFor) -> {
                out.writeByte(REPLICA_READ);
                out.writeBytes(key.encode());
                writeOptional(out, hintFor, ByteWriter::writeString);
            }
            case ReplicaValue(VersionedValue value) -> {
                out.writeByte(REPLICA_VALUE);
                out.writeBytes(VersionedValueCodec.encode(value));
            }
            case ReplicaWrite(StorageKey key, VersionedValue value, String hintFor) -> {
                out.writeByte(REPLICA_WRITE);
                out.writeBytes(key.encode());
                out.writeBytes(VersionedValueCodec.encode(value));
                writeOptional(out, hintFor, ByteWriter::writeString);
            }
            case Ack() -> out.writeByte(ACK);
            case CoordinateWrite(StorageKey key, VersionVector context, Content content, int w) -> {
                out.writeByte(COORDINATE_WRITE);
                out.writeBytes(key.encode());
                writeOptional(out, context, VersionedValueCodec::writeClock);
                out.writeBytes(content.value());
                writeOptional(out, content.contentType(), ByteWriter::writeString);
                out.writeSignedVarLong(content.timestamp());
                // 0/1: the tombstone flag as it always was; 2: expiring content, its expiry time follows
                out.writeByte(content.expiresAt() != Content.NEVER ? 2 : content.tombstone() ? 1 : 0);
                if (content.expiresAt() != Content.NEVER) {
                    out.writeVarLong(content.expiresAt());
                }
                out.writeSignedVarLong(w);
            }
            case Coordinated(VersionedValue value) -> {
                out.writeByte(COORDINATED);
                out.writeBytes(VersionedValueCodec.encode(value));
            }
            case QuorumFailed(int answered, int required) -> {
                out.writeByte(QUORUM_FAILED);
                out.writeSignedVarLong(answered);
                out.writeSignedVarLong(required);
            }
            case Failure(Failure.Kind kind, String detail) -> {
                out.writeByte(FAILURE);
                out.writeByte(kind.ordinal());
                out.writeString(detail);
            }
            // partition transfer
            case PartitionRead(PartitionRange range, StorageKey after, int maxKeys, int maxBytes) -> {
                out.writeByte(PARTITION_READ);
                writeRange(out, range);
                writeOptional(out, after, (w, key) -> w.writeBytes(key.encode()));
                out.writeSignedVarLong(maxKeys);
                out.writeSignedVarLong(maxBytes);
            }
            case PartitionEntries(List<Entry> entries, List<Unsent> unsent, boolean exhausted, Estimate estimate) -> {
                out.writeByte(PARTITION_ENTRIES);
                out.writeVarLong(entries.size());
                for (Entry entry : entries) {
                    out.writeBytes(entry.key());
                    out.writeBytes(entry.value());
                }
                out.writeVarLong(unsent.size());
                for (Unsent entry : unsent) {
                    out.writeBytes(entry.key());
                    out.writeVarLong(entry.size());
                }
                out.writeByte(exhausted ? 1 : 0);
                writeOptional(out, estimate, (w, e) -> {
                    w.writeVarLong(e.keys());
                    w.writeVarLong(e.bytes());
                });
            }
            // membership
            case GossipSyn(MembershipView heartbeats, long digest) -> {
                out.writeByte(GOSSIP_SYN);
                out.writeBytes(MembershipViewCodec.encode(heartbeats));
                out.writeSignedVarLong(digest);
            }
            case GossipAck(MembershipView delta, boolean pushWanted) -> {
                out.writeByte(GOSSIP_ACK);
                out.writeBytes(MembershipViewCodec.encode(delta));
                out.writeByte(pushWanted ? 1 : 0);
            }
            case GossipPush(MembershipView view) -> {
                out.writeByte(GOSSIP_PUSH);
                out.writeBytes(MembershipViewCodec.encode(view));
            }
            // anti-entropy
            case TreeRead(PartitionRange range, int depth, int level, List<Integer> nodes) -> {
                out.writeByte(TREE_READ);
                writeRange(out, range);
                out.writeSignedVarLong(depth);
                out.writeSignedVarLong(level);
                writeInts(out, nodes);
            }
            case TreeHashes(List<Long> hashes) -> {
                out.writeByte(TREE_HASHES);
                out.writeVarLong(hashes.size());
                hashes.forEach(h -> writeHash(out, h));
            }
            case LeafRead(PartitionRange range, int depth, List<Integer> leaves) -> {
                out.writeByte(LEAF_READ);
                writeRange(out, range);
                out.writeSignedVarLong(depth);
                writeInts(out, leaves);
            }
            case LeafVersions(List<KeyVersion> entries) -> writeKeyVersions(out, LEAF_VERSIONS, entries);
            case TombstoneCheck(List<KeyVersion> keys) -> writeKeyVersions(out, TOMBSTONE_CHECK, keys);
            case TombstonesHeld(List<KeyVersion> keys) -> writeKeyVersions(out, TOMBSTONES_HELD, keys);
            case TombstoneReap(List<KeyVersion> keys) -> writeKeyVersions(out, TOMBSTONE_REAP, keys);
            case TombstonesReaped(int count) -> {
                out.writeByte(TOMBSTONES_REAPED);
                out.writeSignedVarLong(count);
            }
            // key listing
            case KeysRead(String bucket, byte[] after, int partitions, List<Integer> wanted, int maxKeys) -> {
                out.writeByte(KEYS_READ);
                out.writeString(bucket);
                writeOptional(out, after, ByteWriter::writeBytes);
                out.writeSignedVarLong(partitions);
                writeInts(out, wanted);
                out.writeSignedVarLong(maxKeys);
            }
            case KeysListed(List<byte[]> keys, byte[] frontier) -> {
                out.writeByte(KEYS_LISTED);
                out.writeVarLong(keys.size());
                keys.forEach(out::writeBytes);
                writeOptional(out, frontier, ByteWriter::writeBytes);
            }
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException saying what is wrong, when {@code bytes} is not an encoded message */
    public static Message decode(byte[] bytes) {
        ByteReader in = WireFields.reader(bytes);
        int type = in.readByte();
        // Java evaluates arguments left to right, so each constructor reads its fields in order.
        Message message = switch (type) {
            case DESCRIBE -> new Describe();
            case DESCRIBED -> new Described(readMember(in));
            case REPLICA_READ -> new ReplicaRead(readKey(in), readOptional(in, ByteReader::readString));
            case REPLICA_VALUE -> new ReplicaValue(readValue(in));
            case REPLICA_WRITE ->
                    new ReplicaWrite(readKey(in), readValue(in), readOptional(in, ByteReader::readString));
            case ACK -> new Ack();
            case COORDINATE_WRITE -> new CoordinateWrite(readKey(in), readOptional(in, VersionedValueCodec::readClock),
                    readContent(in), readInt(in));
            case COORDINATED -> new Coordinated(readValue(in));
            case QUORUM_FAILED -> new QuorumFailed(readInt(in), readInt(in));
            case FAILURE -> new Failure(readOrdinal(in, KINDS, "failure kind"), in.readString());
            // partition transfer
            case PARTITION_READ -> readPartitionRead(in);
            case PARTITION_ENTRIES -> readPartitionEntries(in);
            // membership
            case GOSSIP_SYN -> {
                MembershipView heartbeats = readView(in);
                long digest = in.readSignedVarLong();
                yield checked("gossip syn", () -> new GossipSyn(heartbeats, digest));
            }
            case GOSSIP_ACK -> new GossipAck(readView(in), readFlag(in));
            case GOSSIP_PUSH -> new GossipPush(readView(in));
            // anti-entropy
            case TREE_READ -> readTreeRead(in);
            case TREE_HASHES -> new TreeHashes(readList(in, MessageCodec::readHash));
            case LEAF_READ -> readLeafRead(in);
            case LEAF_VERSIONS -> new LeafVersions(readKeyVersions(in));
            case TOMBSTONE_CHECK -> new TombstoneCheck(readKeyVersions(in));
            case TOMBSTONES_HELD -> new TombstonesHeld(readKeyVersions(in));
            case TOMBSTONE_REAP -> new TombstoneReap(readKeyVersions(in));
            case TOMBSTONES_REAPED -> {
                int count = readInt(in);
                yield checked("reaped count", () -> new TombstonesReaped(count));
            }
            case KEYS_READ -> readKeysRead(in);
            case KEYS_LISTED -> new KeysListed(readList(in, ByteReader::readBytes), readOptional(in, ByteReader::readBytes));
            default -> throw new IllegalArgumentException("unknown message type " + type);
        };
        WireFields.requireEnd(in);
        return message;
    }

    private static Member readMember(ByteReader in) {
        String id = in.readString();
        String address = in.readString();
        String zone = in.readString();
        return checked("member", () -> new Member(id, address, zone));
    }

    /**
     * Only a key as {@link StorageKey#of} makes it: a wrong ring position would file the key under
     * another partition, and a bucket that is not ASCII would change name on the way.
     */
    private static StorageKey readKey(ByteReader in) {
        byte[] bytes = in.readBytes();
        StorageKey key = checked("key", () -> StorageKey.decode(bytes));
        if (!Arrays.equals(StorageKey.of(key.bucket(), key.key()).encode(), bytes)) {
            throw malformed("has a key whose ring position or bucket is not the one its bucket and name give");
        }
        return key;
    }

    private static VersionedValue readValue(ByteReader in) {
        byte[] bytes = in.readBytes();
        return checked("value", () -> VersionedValueCodec.decode(bytes));
    }

    private static MembershipView readView(ByteReader in) {
        byte[] bytes = in.readBytes();
        return checked("view", () -> MembershipViewCodec.decode(bytes));
    }

    private static Content readContent(ByteReader in) {
        byte[] value = in.readBytes();
        String contentType = readOptional(in, ByteReader::readString);
        long timestamp = in.readSignedVarLong();
        int kind = in.readByte();
        if (kind > 2) {
            throw in.error("has unknown content kind " + kind);
        }
        long expiresAt = kind == 2 ? in.readVarLong() : Content.NEVER;
        return checked("content", () -> new Content(value, contentType, timestamp, kind == 1, expiresAt));
    }

    // partition transfer

    private static PartitionRead readPartitionRead(ByteReader in) {
        int partitions = readInt(in);
        int partition = readInt(in);
        StorageKey after = readOptional(in, MessageCodec::readKey);
        int maxKeys = readInt(in);
        int maxBytes = readInt(in);
        return checked("partition read",
                () -> new PartitionRead(new PartitionRange(partitions, partition), after, maxKeys, maxBytes));
    }

    /** Keys and values stay bytes here: the receiver decodes and checks each one as it merges it. */
    private static PartitionEntries readPartitionEntries(ByteReader in) {
        int count = in.readLength();
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(in.readBytes(), in.readBytes()));
        }
        int unsentCount = in.readLength();
        List<Unsent> unsent = new ArrayList<>(unsentCount);
        for (int i = 0; i < unsentCount; i++) {
            byte[] key = in.readBytes();
            long size = in.readVarLong();
            unsent.add(checked("unsent entry", () -> new Unsent(key, size)));
        }
        boolean exhausted = readFlag(in);
        Estimate estimate = readOptional(in, r -> {
            long keys = r.readVarLong();
            long bytes = r.readVarLong();
            return checked("estimate", () -> new Estimate(keys, bytes));
        });
        return new PartitionEntries(entries, unsent, exhausted, estimate);
    }

    // anti-entropy

    private static void writeRange(ByteWriter out, PartitionRange range) {
        out.writeSignedVarLong(range.partitions());
        out.writeSignedVarLong(range.partition());
    }

    private static void writeInts(ByteWriter out, List<Integer> ints) {
        out.writeVarLong(ints.size());
        ints.forEach(out::writeSignedVarLong);
    }

    /** Hashes are uniformly spread: 8 fixed bytes beat a varint's 10. */
    private static void writeHash(ByteWriter out, long hash) {
        out.writeRaw(ByteBuffer.allocate(Long.BYTES).putLong(hash).array());
    }

    private static long readHash(ByteReader in) {
        return ByteBuffer.wrap(in.readRaw(Long.BYTES)).getLong();
    }

    private static void writeKeyVersions(ByteWriter out, int type, List<KeyVersion> entries) {
        out.writeByte(type);
        out.writeVarLong(entries.size());
        for (KeyVersion entry : entries) {
            out.writeBytes(entry.key());
            writeHash(out, entry.version());
        }
    }

    private static List<KeyVersion> readKeyVersions(ByteReader in) {
        return readList(in, r -> new KeyVersion(r.readBytes(), readHash(r)));
    }

    private static TreeRead readTreeRead(ByteReader in) {
        int partitions = readInt(in);
        int partition = readInt(in);
        int depth = readInt(in);
        int level = readInt(in);
        List<Integer> nodes = readList(in, WireFields::readInt);
        return checked("tree read", () -> new TreeRead(new PartitionRange(partitions, partition), depth, level, nodes));
    }

    private static KeysRead readKeysRead(ByteReader in) {
        String bucket = in.readString();
        byte[] after = readOptional(in, ByteReader::readBytes);
        int partitions = readInt(in);
        List<Integer> wanted = readList(in, WireFields::readInt);
        int maxKeys = readInt(in);
        return checked("keys read", () -> new KeysRead(bucket, after, partitions, wanted, maxKeys));
    }

    private static LeafRead readLeafRead(ByteReader in) {
        int partitions = readInt(in);
        int partition = readInt(in);
        int depth = readInt(in);
        List<Integer> leaves = readList(in, WireFields::readInt);
        return checked("leaf read", () -> new LeafRead(new PartitionRange(partitions, partition), depth, leaves));
    }
}
