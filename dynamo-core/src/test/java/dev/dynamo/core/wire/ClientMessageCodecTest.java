package dev.dynamo.core.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static dev.dynamo.core.wire.CodecChecks.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.key.KeyNames;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.wire.ClientMessage.ClientDelete;
import dev.dynamo.core.wire.ClientMessage.ClientFailure;
import dev.dynamo.core.wire.ClientMessage.ClientGet;
import dev.dynamo.core.wire.ClientMessage.ClientKeyPage;
import dev.dynamo.core.wire.ClientMessage.ClientListKeys;
import dev.dynamo.core.wire.ClientMessage.ClientPut;
import dev.dynamo.core.wire.ClientMessage.ClientConditionFailed;
import dev.dynamo.core.wire.ClientMessage.ClientConditionalPut;
import dev.dynamo.core.wire.ClientMessage.ClientRead;
import dev.dynamo.core.wire.ClientMessage.ClientWritten;
import dev.dynamo.core.wire.ClientMessage.NotServed;
import dev.dynamo.core.wire.ClientMessage.RingFetch;
import dev.dynamo.core.wire.ClientMessage.RingState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClientMessageCodecTest {

    private static final CodecChecks<ClientMessage> CODEC =
            new CodecChecks<>(ClientMessageCodec::encode, ClientMessageCodec::decode);

    private static final Ring RING = Ring.create(16, List.of(new Member("node-1", "10.0.0.1:7000", "zone-a"),
            new Member("node-2", "10.0.0.2:7000", "zone-b")));

    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    /** Every type, with empty keys, values and contexts where the type can have them. */
    static Stream<ClientMessage> examples() {
        Stream<ClientMessage> messages = Stream.of(
                new ClientGet(new ClientKey("photos", new byte[] {0, -1}), 0),
                new ClientGet(new ClientKey("", new byte[0]), -1),
                new ClientPut(new ClientKey("carts", "alice".getBytes(UTF_8)), CausalContext.NONE,
                        Value.text("milk"), 2),
                new ClientPut(new ClientKey("carts", "bob".getBytes(UTF_8)), new CausalContext("AQEBbg"),
                        new Value(new byte[0], "", Long.MAX_VALUE), 3),
                new ClientDelete(new ClientKey("carts", "alice".getBytes(UTF_8)), new CausalContext("x"), 0),
                new RingFetch(),
                new ClientRead(7, new ReadResult(List.of(), CausalContext.NONE)),
                new ClientRead(Long.MIN_VALUE, new ReadResult(List.of(Value.text("a"), new Value(new byte[] {1},
                        "application/octet-stream", 42)), new CausalContext("token"))),
                new ClientWritten(3, new CausalContext("token"), 2),
                new RingState(RING, 3, Map.of(), 0),
                new RingState(RING, 3, Map.of("carts", 5, "usertable", 3), 1 << 20),
                new NotServed(""),
                new NotServed("the node is starting \uD83D\uDD25"),
                new ClientConditionalPut(new ClientKey("carts", "alice".getBytes(UTF_8)), WriteCondition.ABSENT,
                        CausalContext.NONE, Value.text("milk"), 0, 0, 0),
                new ClientConditionalPut(new ClientKey("carts", "bob".getBytes(UTF_8)), WriteCondition.MATCHES,
                        new CausalContext("AQEBbg"), new Value(new byte[0], "", 1), 3, 2, 60_000),
                new ClientPut(new ClientKey("sessions", "s1".getBytes(UTF_8)), CausalContext.NONE, Value.text("x"), 0,
                        1_800_000),
                new ClientConditionFailed(9, "the key holds 1 live value(s)", new CausalContext("token")),
                new ClientConditionFailed(0, "", CausalContext.NONE),
                new ClientListKeys("photos", null, 1000),
                new ClientListKeys("photos", new byte[] {0, -1, 'a'}, -1),
                new ClientKeyPage(4, List.of(new byte[] {0}, "a".getBytes(UTF_8), new byte[] {-1, -1}),
                        new byte[] {-1, -1}),
                new ClientKeyPage(Long.MIN_VALUE, List.of(new byte[KeyNames.MAX_KEY_BYTES]), null),
                new ClientKeyPage(5, List.of(), new byte[] {'z'}),
                new ClientKeyPage(0, List.of(), null));
        return Stream.concat(messages, Arrays.stream(FailureKind.values())
                .map(kind -> new ClientFailure(kind.ordinal(), kind, "reason " + kind, 1, 2)));
    }

    @Test
    void examplesCoverEveryMessageType() {
        assertThat(examples().map(Object::getClass).distinct()).containsExactlyInAnyOrder(Stream.concat(
                Arrays.stream(ClientMessage.Request.class.getPermittedSubclasses()),
                Arrays.stream(ClientMessage.Reply.class.getPermittedSubclasses())).toArray(Class[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void roundTrips(ClientMessage message) {
        CODEC.roundTrip(message);
    }

    @Test
    void theClientTagsAreTheOnesTheSharedCodecGaveThem() {
        assertThat(ClientMessageCodec.encode(new ClientGet(new ClientKey("b", new byte[] {1}), 0))[0]).isEqualTo((byte) 60);
        assertThat(ClientMessageCodec.encode(new RingFetch())[0]).isEqualTo((byte) 63);
        assertThat(ClientMessageCodec.decodeRequest(ClientMessageCodec.encode(new ClientConditionalPut(
                new ClientKey("b", new byte[] {1}), WriteCondition.ABSENT, CausalContext.NONE, Value.text("v"), 0, 0, 0))))
                .isInstanceOf(ClientConditionalPut.class);
        assertThatThrownBy(() -> ClientMessageCodec.decodeReply(ClientMessageCodec.encode(new ClientConditionalPut(
                new ClientKey("b", new byte[] {1}), WriteCondition.ABSENT, CausalContext.NONE, Value.text("v"), 0, 0, 0))))
                .hasMessageContaining("not a reply");
        assertThatThrownBy(() -> ClientMessageCodec.decodeRequest(ClientMessageCodec.encode(
                new ClientConditionFailed(1, "x", CausalContext.NONE)))).hasMessageContaining("not a request");
        assertThat(ClientMessageCodec.encode(new ClientFailure(0, FailureKind.INTERNAL, "", 0, 0))[0])
                .isEqualTo((byte) 67);
        assertThat(ClientMessageCodec.decodeRequest(ClientMessageCodec.encode(new ClientListKeys("b", null, 1))))
                .isEqualTo(new ClientListKeys("b", null, 1));
        assertThatThrownBy(() -> ClientMessageCodec.decodeRequest(ClientMessageCodec.encode(
                new ClientKeyPage(1, List.of(), null)))).hasMessageContaining("not a request");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void rejectsEveryTruncation(ClientMessage message) {
        byte[] whole = ClientMessageCodec.encode(message);
        CODEC.assertRejected(new byte[0], "message is empty");
        for (int length = 1; length < whole.length; length++) {
            CODEC.assertRejected(Arrays.copyOf(whole, length), "message is truncated");
        }
    }

    @Test
    void rejectsPeerMessagesWithoutReadingThem() {
        CODEC.assertRejected(MessageCodec.encode(new Message.ReplicaRead(StorageKey.of("b", new byte[] {1}), null)),
                "unknown client message type 3");
        CODEC.assertRejected(MessageCodec.encode(new Message.Describe()), "unknown client message type 1");
        CODEC.assertRejected(MessageCodec.encode(new Message.Failure(Message.Failure.Kind.UNAVAILABLE, "x")),
                "unknown client message type 10");
    }

    @Test
    void rejectsMalformedMessagesSayingWhatIsWrong() {
        CODEC.assertRejected(null, "message is empty");
        CODEC.assertRejected(new byte[] {79}, "unknown client message type 79");
        CODEC.assertRejected(new byte[] {63, 0}, "message has 1 trailing bytes");
        CODEC.assertRejected(bytes(67, w -> {
            w.writeSignedVarLong(1);
            w.writeByte(FailureKind.values().length);
        }), "message has unknown client failure kind " + FailureKind.values().length);
        CODEC.assertRejected(bytes(71, w -> {
            w.writeString("b");
            w.writeBytes(new byte[] {1});
            w.writeString("");
            w.writeBytes(new byte[] {1});
            w.writeString("");
            w.writeSignedVarLong(0);
            w.writeSignedVarLong(0);
            w.writeSignedVarLong(0);
        }), "message has an expiring put with a TTL of 0");
        CODEC.assertRejected(bytes(69, w -> {
            w.writeString("b");
            w.writeBytes(new byte[] {1});
            w.writeByte(WriteCondition.values().length);
        }), "message has unknown write condition " + WriteCondition.values().length);
        CODEC.assertRejected(bytes(60, w -> {
            w.writeString("b");
            w.writeBytes(new byte[] {1});
            w.writeSignedVarLong(1L << 31);
        }), "message has a number too large for 32 bits");
        CODEC.assertRejected(bytes(66, w -> w.writeBytes(new byte[] {9})), "message has a bad ring");
        CODEC.assertRejected(bytes(64, w -> {
            w.writeSignedVarLong(1);
            w.writeVarLong(Long.MAX_VALUE);
        }), "message is truncated");
    }

    @Test
    void aKeyPageEncodesEachKeyAndThenAnOptionalNext() {
        assertThat(ClientMessageCodec.encode(new ClientKeyPage(1, List.of(new byte[] {7}, new byte[] {8, 9}),
                new byte[] {9}))).containsExactly(73, 2, 2, 1, 7, 2, 8, 9, 1, 1, 9);
        assertThat(ClientMessageCodec.encode(new ClientKeyPage(1, List.of(), null))).containsExactly(73, 2, 0, 0);
        assertThat(ClientMessageCodec.encode(new ClientListKeys("b", null, 3))).containsExactly(72, 1, 'b', 0, 6);
    }

    @Test
    void rejectsKeyListingsAKeyCannotBeIn() {
        // a request's bound, like a request's key, reaches the node, which refuses it as a bad request
        assertThat(ClientMessageCodec.decodeRequest(bytes(72, w -> {
            w.writeString("b");
            w.writeByte(1);
            w.writeBytes(new byte[KeyNames.MAX_KEY_BYTES + 1]);
            w.writeSignedVarLong(10);
        }))).isInstanceOf(ClientListKeys.class);
        CODEC.assertRejected(bytes(72, w -> {
            w.writeString("b");
            w.writeByte(2);
        }), "message has a flag byte 2 that is neither 0 nor 1");
        CODEC.assertRejected(bytes(73, w -> {
            w.writeSignedVarLong(1);
            w.writeVarLong(1);
            w.writeBytes(new byte[0]);
            w.writeByte(0);
        }), "message has a bad key: key must be 1 to 1024 bytes, was 0");
        CODEC.assertRejected(bytes(73, w -> {
            w.writeSignedVarLong(1);
            w.writeVarLong(0);
            w.writeByte(1);
            w.writeBytes(new byte[0]);
        }), "message has a bad key");
        // a count of more keys than bytes left, or a negative one (a huge unsigned varint), allocates nothing
        CODEC.assertRejected(bytes(73, w -> {
            w.writeSignedVarLong(1);
            w.writeVarLong(3);
            w.writeBytes(new byte[] {1});
            w.writeBytes(new byte[] {2});
        }), "message is truncated");
        CODEC.assertRejected(bytes(73, w -> {
            w.writeSignedVarLong(1);
            w.writeVarLong(-1);
        }), "message is truncated");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomAndMutatedBytesDecodeToAValidMessageOrFailWithIllegalArgument(long seed) {
        Random random = new Random(seed);
        List<ClientMessage> examples = examples().toList();
        for (int i = 0; i < 100; i++) {
            byte[] garbage = new byte[1 + random.nextInt(40)];
            random.nextBytes(garbage);
            garbage[0] = (byte) (60 + random.nextInt(15)); // mostly known types, so that decoding gets past the tag
            CODEC.decodesOrRejects(garbage);
            byte[] mutated = ClientMessageCodec.encode(examples.get(random.nextInt(examples.size())));
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            CODEC.decodesOrRejects(mutated);
        }
    }
}
