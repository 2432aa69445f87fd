package dev.dynamo.core.wire;

import static dev.dynamo.core.version.ConflictPolicy.SIBLINGS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static dev.dynamo.core.wire.CodecChecks.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.bytes.ByteWriter;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.Heartbeat;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.membership.MembershipViewCodec;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.History;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.version.VersionedValueCodec;
import dev.dynamo.core.wire.Message.Ack;
import dev.dynamo.core.wire.Message.CoordinateWrite;
import dev.dynamo.core.wire.Message.Coordinated;
import dev.dynamo.core.wire.Message.Describe;
import dev.dynamo.core.wire.Message.Described;
import dev.dynamo.core.wire.Message.Failure;
import dev.dynamo.core.wire.Message.PartitionEntries;
import dev.dynamo.core.wire.Message.PartitionEntries.Entry;
import dev.dynamo.core.wire.Message.PartitionEntries.Estimate;
import dev.dynamo.core.wire.Message.PartitionEntries.Unsent;
import dev.dynamo.core.wire.Message.PartitionRead;
import dev.dynamo.core.wire.Message.LeafRead;
import dev.dynamo.core.wire.Message.LeafVersions;
import dev.dynamo.core.wire.Message.TreeHashes;
import dev.dynamo.core.wire.Message.TreeRead;
import dev.dynamo.core.wire.Message.TombstoneCheck;
import dev.dynamo.core.wire.Message.TombstoneReap;
import dev.dynamo.core.wire.Message.TombstonesHeld;
import dev.dynamo.core.wire.Message.KeysListed;
import dev.dynamo.core.wire.Message.KeysRead;
import dev.dynamo.core.wire.Message.TombstonesReaped;
import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.wire.Message.GossipAck;
import dev.dynamo.core.wire.Message.GossipPush;
import dev.dynamo.core.wire.Message.GossipSyn;
import dev.dynamo.core.wire.Message.QuorumFailed;
import dev.dynamo.core.wire.Message.ReplicaRead;
import dev.dynamo.core.wire.Message.ReplicaValue;
import dev.dynamo.core.wire.Message.ReplicaWrite;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {

    private static final CodecChecks<Message> CODEC = new CodecChecks<>(MessageCodec::encode, MessageCodec::decode);

    private static final StorageKey KEY = StorageKey.of("photos", "cat.jpg".getBytes(UTF_8));
    private static final VersionVector NONE = VersionVector.empty();
    private static final Failure.Kind[] KINDS = Failure.Kind.values();
    private static final Ring RING = Ring.create(16, List.of(new Member("node-1", "10.0.0.1:7000", "zone-a"),
            new Member("node-2", "10.0.0.2:7000", "zone-b")));
    private static final MembershipView VIEW = MembershipView.formed(RING).withHeartbeat("node-1", new Heartbeat(7, 3));

    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    /** Every type, with nulls, empty values, siblings and a tombstone where the type can have them. */
    static Stream<Message> examples() {
        VersionedValue siblings = VersionedValue.empty()
                .put(NONE, "node-1", new Content("a".getBytes(UTF_8), "text/plain", 1, false), SIBLINGS)
                .put(NONE, "node-2", new Content(new byte[0], null, -1, false), SIBLINGS)
                .put(NONE, "ñødé-3", Content.tombstone(3), SIBLINGS);
        Stream<Message> messages = Stream.of(
                new Describe(),
                new Described(new Member("node-1", "10.0.0.1:7000", "zone-a")),
                new ReplicaRead(KEY, null),
                new ReplicaRead(StorageKey.of("", new byte[] {0, -1}), "node-2"),
                new ReplicaValue(VersionedValue.empty()),
                new ReplicaValue(siblings),
                new ReplicaWrite(KEY, siblings, null),
                new ReplicaWrite(KEY, VersionedValue.empty(), "ñødé-3"),
                new Ack(),
                new CoordinateWrite(KEY, null, new Content(new byte[0], null, 0, false), 0),
                new CoordinateWrite(KEY, NONE, Content.tombstone(Long.MIN_VALUE), 3),
                new CoordinateWrite(KEY, siblings.clock(), new Content(new byte[] {1, 2}, "text/plain", Long.MAX_VALUE,
                        false), -1),
                new CoordinateWrite(KEY, null, new Content(new byte[] {1}, "text/plain", 5, false, 1_800_005), 2),
                new Coordinated(siblings),
                new QuorumFailed(1, 2),
                new QuorumFailed(Integer.MIN_VALUE, Integer.MAX_VALUE),
                // partition transfer
                new PartitionRead(new PartitionRange(1, 0), null, 1, 1),
                new PartitionRead(new PartitionRange(256, partitionOf(KEY, 256)), KEY, 512, 1 << 20),
                new PartitionEntries(List.of(), List.of(), true, new Estimate(0, 0)),
                new PartitionEntries(List.of(new Entry(KEY.encode(), VersionedValueCodec.encode(siblings)),
                        new Entry(new byte[] {0}, new byte[0])), List.of(), false, null),
                new PartitionEntries(List.of(), List.of(new Unsent(KEY.encode(), Long.MAX_VALUE)), false,
                        new Estimate(Long.MAX_VALUE, 1)),
                // anti-entropy
                new TreeRead(new PartitionRange(1, 0), 1, 0, List.of(0)),
                new TreeRead(new PartitionRange(256, 255), 2, 2, List.of(0, 17, 255)),
                new TreeHashes(List.of()),
                new TreeHashes(List.of(0L, -1L, Long.MIN_VALUE, 42L)),
                new LeafRead(new PartitionRange(8, 3), 3, List.of(4095)),
                new LeafVersions(List.of()),
                new LeafVersions(List.of(new KeyVersion(KEY.encode(), -7), new KeyVersion(new byte[] {0}, 1))),
                // tombstone reaping
                new TombstoneCheck(List.of()),
                new TombstoneCheck(List.of(new KeyVersion(KEY.encode(), Long.MIN_VALUE))),
                new TombstonesHeld(List.of(new KeyVersion(KEY.encode(), 3), new KeyVersion(new byte[] {1}, -1))),
                new TombstoneReap(List.of(new KeyVersion(KEY.encode(), Long.MAX_VALUE))),
                new TombstonesReaped(0),
                new TombstonesReaped(Integer.MAX_VALUE),
                // key listing
                new KeysRead("b", null, 1, List.of(0), 1),
                new KeysRead("bucket", new byte[] {(byte) 0xFF, 0}, 256, List.of(0, 7, 255), KeysRead.MAX_KEYS),
                new KeysListed(List.of(), null),
                new KeysListed(List.of(new byte[] {1}, "k".getBytes(UTF_8)),
                        new byte[] {2}),
                new GossipSyn(MembershipView.EMPTY, 0),
                new GossipSyn(VIEW.heartbeatsOnly(), VIEW.digest()),
                new GossipSyn(VIEW.heartbeatsOnly(), Long.MIN_VALUE),
                new GossipAck(MembershipView.EMPTY, false),
                new GossipAck(VIEW, true),
                new GossipPush(VIEW.withoutHeartbeats()));
        return Stream.concat(messages, Arrays.stream(KINDS).map(kind -> new Failure(kind, kind.ordinal() == 0 ? ""
                : "disk on fire \uD83D\uDD25")));
    }

    @Test
    void examplesCoverEveryMessageType() {
        assertThat(examples().map(Object::getClass).distinct())
                .containsExactlyInAnyOrderElementsOf(messageTypes(Message.class).toList());
    }

    /** The records a sealed type stands for, through its sealed families. */
    private static Stream<Class<?>> messageTypes(Class<?> type) {
        return type.isSealed() ? Stream.of(type.getPermittedSubclasses()).flatMap(MessageCodecTest::messageTypes)
                : Stream.of(type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void roundTrips(Message message) {
        CODEC.roundTrip(message);
    }

    @Test
    void roundTripsOneMebibyteValues() {
        byte[] big = new byte[1 << 20];
        new Random(1).nextBytes(big);
        Content content = new Content(big, Content.DEFAULT_CONTENT_TYPE, 5, false);
        CODEC.roundTrip(new ReplicaWrite(KEY, VersionedValue.empty().put(NONE, "node-1", content, SIBLINGS), null));
        CODEC.roundTrip(new CoordinateWrite(KEY, null, content, 2));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundTripsRandomMessages(long seed) {
        History history = History.generate(seed, SIBLINGS);
        for (int i = 0; i < 20; i++) {
            CODEC.roundTrip(randomMessage(history));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void rejectsEveryTruncation(Message message) {
        byte[] whole = MessageCodec.encode(message);
        CODEC.assertRejected(new byte[0], "message is empty");
        for (int length = 1; length < whole.length; length++) {
            CODEC.assertRejected(Arrays.copyOf(whole, length), "message is truncated");
        }
    }

    @Test
    void rejectsMalformedMessagesSayingWhatIsWrong() {
        CODEC.assertRejected(null, "message is empty");
        CODEC.assertRejected(new byte[] {42}, "unknown message type 42");
        CODEC.assertRejected(ClientMessageCodec.encode(new ClientMessage.RingFetch()), "unknown message type 63");
        CODEC.assertRejected(new byte[] {6, 0}, "message has 1 trailing bytes");
        CODEC.assertRejected(bytes(2, w -> {
            w.writeString("node-1");
            w.writeString("no-port");
            w.writeString("zone-a");
        }), "message has a bad member: member address must be host:port");
        CODEC.assertRejected(bytes(10, w -> {
            w.writeByte(0);
            w.writeBytes(new byte[] {(byte) 0xC3});
        }), "message has text that is not UTF-8");
        CODEC.assertRejected(bytes(3, w -> {
            w.writeBytes(new byte[8]);
            w.writeByte(0);
        }), "message has a bad key: stored key is truncated");
        byte[] moved = KEY.encode();
        moved[0] ^= 1;
        CODEC.assertRejected(bytes(3, w -> {
            w.writeBytes(moved);
            w.writeByte(0);
        }), "message has a key whose ring position or bucket is not");
        byte[] nonAscii = StorageKey.of("?", KEY.key()).encode(); // the ring position of bucket "?"
        nonAscii[Long.BYTES + 1] = (byte) 0xE9; // which decodes as "\uFFFD" and would re-encode as "?"
        CODEC.assertRejected(bytes(3, w -> {
            w.writeBytes(nonAscii);
            w.writeByte(0);
        }), "message has a key whose ring position or bucket is not");
        CODEC.assertRejected(bytes(3, w -> {
            w.writeBytes(KEY.encode());
            w.writeByte(2);
        }), "message has a flag byte 2 that is neither 0 nor 1");
        CODEC.assertRejected(bytes(4, w -> w.writeBytes(new byte[] {2, 0, 0})),
                "message has a bad value: stored value has format version 2");
        CODEC.assertRejected(bytes(7, w -> {
            w.writeBytes(KEY.encode());
            w.writeByte(1);
            w.writeVarLong(1);
            w.writeString("a");
            w.writeVarLong(0);
        }), "message has a bad clock entry a=0");
        CODEC.assertRejected(bytes(9, w -> w.writeSignedVarLong(1L << 31)), "message has a number too large for 32 bits");
        CODEC.assertRejected(bytes(10, w -> w.writeByte(KINDS.length)), "message has unknown failure kind " + KINDS.length);
        CODEC.assertRejected(bytes(4, w -> w.writeVarLong(Long.MAX_VALUE)), "message is truncated");
        CODEC.assertRejected(bytes(30, w -> {
            w.writeBytes(MembershipViewCodec.encode(VIEW));
            w.writeByte(0);
        }), "message has a bad gossip syn: a gossip syn carries heartbeats and a digest, not members or a ring");
        CODEC.assertRejected(bytes(32, w -> w.writeBytes(new byte[] {3})),
                "message has a bad view: membership view has format 3, expected 1 or 2");
    }

    @Test
    void rejectsMalformedPartitionTransfersSayingWhatIsWrong() {
        CODEC.assertRejected(bytes(40, w -> partitionRead(w, 6, 0, null, 1, 1)),
                "message has a bad partition read: partition count must be a power of two");
        CODEC.assertRejected(bytes(40, w -> partitionRead(w, 8, 8, null, 1, 1)),
                "message has a bad partition read: partition 8 out of range 0..7");
        int other = (partitionOf(KEY, 8) + 1) % 8;
        CODEC.assertRejected(bytes(40, w -> partitionRead(w, 8, other, KEY, 1, 1)),
                "message has a bad partition read: the cursor photos/cat.jpg is not in");
        CODEC.assertRejected(bytes(40, w -> partitionRead(w, 8, 0, null, 0, 1)),
                "message has a bad partition read: a batch needs room for a key");
        CODEC.assertRejected(bytes(41, w -> {
            w.writeVarLong(0);
            w.writeVarLong(0);
            w.writeByte(1);
            w.writeByte(1);
            w.writeVarLong(Long.MAX_VALUE);
            w.writeVarLong(-1);
        }), "message has a bad estimate: an estimate cannot be negative");
        CODEC.assertRejected(bytes(41, w -> {
            w.writeVarLong(0);
            w.writeVarLong(1);
            w.writeBytes(new byte[] {1});
            w.writeVarLong(-1);
        }), "message has a bad unsent entry: a size cannot be negative");
        CODEC.assertRejected(bytes(41, w -> {
            w.writeVarLong(3);
            w.writeBytes(new byte[] {1});
        }), "message is truncated");
    }

    @Test
    void rejectsMalformedTreeExchangesSayingWhatIsWrong() {
        CODEC.assertRejected(bytes(50, w -> treeRead(w, 8, 0, 0, 0, 0)),
                "message has a bad tree read: tree depth 0 is not between 1 and 15");
        CODEC.assertRejected(bytes(50, w -> treeRead(w, 1 << 16, 0, 13, 0, 0)),
                "message has a bad tree read: tree depth 13 is not between 1 and 12");
        CODEC.assertRejected(bytes(50, w -> treeRead(w, 8, 0, 2, 3, 0)),
                "message has a bad tree read: level 3 is not between 0 and 2");
        CODEC.assertRejected(bytes(50, w -> treeRead(w, 8, 0, 2, 1, 16)),
                "message has a bad tree read: level 1 has no node 16");
        CODEC.assertRejected(bytes(52, w -> {
            w.writeSignedVarLong(8);
            w.writeSignedVarLong(0);
            w.writeSignedVarLong(1);
            w.writeVarLong(1);
            w.writeSignedVarLong(-1);
        }), "message has a bad leaf read: level 1 has no node -1");
        CODEC.assertRejected(bytes(51, w -> {
            w.writeVarLong(1);
            w.writeRaw(new byte[7]);
        }), "message is truncated");
        CODEC.assertRejected(bytes(57, w -> w.writeSignedVarLong(-1)),
                "message has a bad reaped count: count must not be negative, got -1");
    }

    private static void treeRead(ByteWriter w, int partitions, int partition, int depth, int level, int node) {
        w.writeSignedVarLong(partitions);
        w.writeSignedVarLong(partition);
        w.writeSignedVarLong(depth);
        w.writeSignedVarLong(level);
        w.writeVarLong(1);
        w.writeSignedVarLong(node);
    }

    private static void partitionRead(ByteWriter w, int partitions, int partition, StorageKey after, int maxKeys,
            int maxBytes) {
        w.writeSignedVarLong(partitions);
        w.writeSignedVarLong(partition);
        w.writeByte(after == null ? 0 : 1);
        if (after != null) {
            w.writeBytes(after.encode());
        }
        w.writeSignedVarLong(maxKeys);
        w.writeSignedVarLong(maxBytes);
    }

    private static int partitionOf(StorageKey key, int partitions) {
        return partitions == 1 ? 0 : (int) (key.position() >>> (Long.SIZE - Integer.numberOfTrailingZeros(partitions)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomBytesDecodeToAValidMessageOrFailWithIllegalArgument(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 100; i++) {
            byte[] garbage = new byte[1 + random.nextInt(40)];
            random.nextBytes(garbage);
            garbage[0] = (byte) random.nextInt(12); // mostly known types, so that decoding gets past the tag
            CODEC.decodesOrRejects(garbage);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedMessagesDecodeToAValidMessageOrFailWithIllegalArgument(long seed) {
        History history = History.generate(seed, SIBLINGS);
        Random random = history.random();
        byte[] bytes = MessageCodec.encode(randomMessage(history));
        for (int i = 0; i < 50; i++) {
            byte[] mutated = bytes.clone();
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            CODEC.decodesOrRejects(mutated);
        }
    }

    /** A message of a random type whose values, contexts and contents come from {@code history}. */
    static Message randomMessage(History history) {
        Random random = history.random();
        return switch (random.nextInt(22)) {
            case 0 -> new Describe();
            case 1 -> new Described(new Member("node-" + random.nextInt(10), "10.0.0." + random.nextInt(256) + ":7000",
                    "zone-" + random.nextInt(3)));
            case 2 -> new ReplicaRead(randomKey(random), randomHint(random));
            case 3 -> new ReplicaValue(history.randomState());
            case 4 -> new ReplicaWrite(randomKey(random), history.randomState(), randomHint(random));
            case 5 -> new Ack();
            case 6 -> new CoordinateWrite(randomKey(random), random.nextBoolean() ? null : history.randomContext(),
                    history.randomContent(), random.nextInt(6));
            case 7 -> new Coordinated(history.randomState());
            case 8 -> new QuorumFailed(random.nextInt(6), random.nextInt(6));
            case 9 -> randomPartitionRead(random);
            case 10 -> new PartitionEntries(List.of(new Entry(randomKey(random).encode(),
                    VersionedValueCodec.encode(history.randomState()))),
                    random.nextBoolean() ? List.of() : List.of(new Unsent(randomKey(random).encode(), random.nextInt(1 << 30))),
                    random.nextBoolean(),
                    random.nextBoolean() ? null : new Estimate(random.nextInt(1 << 20), random.nextLong(1L << 40)));
            case 11 -> new GossipSyn(VIEW.withHeartbeat("node-2", new Heartbeat(random.nextLong(), random.nextInt(9)))
                    .heartbeatsOnly(), random.nextLong());
            case 12 -> new GossipAck(random.nextBoolean() ? VIEW : VIEW.heartbeatsOnly(), random.nextBoolean());
            case 13 -> new GossipPush(random.nextBoolean() ? VIEW : VIEW.withoutHeartbeats());
            case 14 -> new TreeRead(new PartitionRange(16, random.nextInt(16)), 2, 1, List.of(random.nextInt(16)));
            case 15 -> new TreeHashes(List.of(random.nextLong(), random.nextLong()));
            case 16 -> new LeafVersions(List.of(new KeyVersion(randomKey(random).encode(), random.nextLong())));
            case 17 -> new TombstoneCheck(List.of(new KeyVersion(randomKey(random).encode(), random.nextLong())));
            case 18 -> new TombstoneReap(List.of(new KeyVersion(randomKey(random).encode(), random.nextLong())));
            case 19 -> new TombstonesReaped(random.nextInt(1000));
            case 20 -> random.nextBoolean() ? new KeysRead("b", random.nextBoolean() ? null : randomKey(random).key(), 16,
                    List.of(random.nextInt(16)), 1 + random.nextInt(100))
                    : new KeysListed(List.of(randomKey(random).key()), random.nextBoolean() ? null : randomKey(random).key());
            default -> new Failure(KINDS[random.nextInt(KINDS.length)], "detail " + random.nextInt());
        };
    }

    private static PartitionRead randomPartitionRead(Random random) {
        StorageKey after = randomKey(random);
        int partitions = 1 << random.nextInt(17);
        return new PartitionRead(new PartitionRange(partitions, partitionOf(after, partitions)),
                random.nextBoolean() ? null : after, 1 + random.nextInt(1000), 1 + random.nextInt(1 << 20));
    }

    private static StorageKey randomKey(Random random) {
        byte[] key = new byte[1 + random.nextInt(16)];
        random.nextBytes(key);
        return StorageKey.of("bucket-" + random.nextInt(10), key);
    }

    private static String randomHint(Random random) {
        return random.nextBoolean() ? null : "node-" + random.nextInt(10);
    }
}
