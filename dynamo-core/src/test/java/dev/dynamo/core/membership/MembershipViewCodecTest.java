package dev.dynamo.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.bytes.ByteWriter;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingCodec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MembershipViewCodecTest {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomViewsRoundTrip(long seed) {
        Views views = new Views(seed);
        for (int i = 0; i < 20; i++) {
            MembershipView view = views.next();
            assertThat(MembershipViewCodec.decode(MembershipViewCodec.encode(view))).as("seed %d", seed).isEqualTo(view);
        }
    }

    @Test
    void theEmptyViewAndAFormedOneRoundTrip() {
        MembershipView formed = MembershipView.formed(Ring.create(256, Views.members(5)))
                .withHeartbeat("node-1", new Heartbeat(Long.MIN_VALUE, Long.MAX_VALUE));
        for (MembershipView view : List.of(MembershipView.EMPTY, formed, formed.heartbeatsOnly(), formed.withoutHeartbeats())) {
            assertThat(MembershipViewCodec.decode(MembershipViewCodec.encode(view))).isEqualTo(view);
        }
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] whole = MembershipViewCodec.encode(
                MembershipView.formed(Ring.create(8, Views.members(2))).withHeartbeat("node-0", new Heartbeat(5, 6)));
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> MembershipViewCodec.decode(cut)).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("membership view ");
        }
    }

    @Test
    void rejectsMalformedViewsSayingWhatIsWrong() {
        assertRejected(view(w -> w.writeByte(3)), "membership view has format 3, expected 1 or 2");
        assertRejected(view(w -> {
            header(w, 1);
            entry(w, "node-1", "no-port", 1, 1);
        }), "membership view has a bad member entry: member address must be host:port");
        assertRejected(view(w -> {
            header(w, 1);
            entry(w, "node-1", "a:1", 4, 1);
        }), "membership view has unknown member status 4");
        assertRejected(view(w -> {
            header(w, 1);
            entry(w, "node-1", "a:1", 1, 0);
        }), "membership view has a bad member entry: member entry version must be at least 1");
        assertRejected(view(w -> {
            header(w, 2);
            entry(w, "node-2", "a:1", 1, 1);
            entry(w, "node-1", "a:1", 1, 1);
        }), "membership view has id 'node-1' out of order");
        assertRejected(view(w -> {
            header(w, 0);
            w.writeVarLong(2);
            for (int i = 0; i < 2; i++) {
                w.writeString("node-1");
                w.writeSignedVarLong(1);
                w.writeVarLong(1);
            }
        }), "membership view has id 'node-1' out of order");
        assertRejected(view(w -> {
            header(w, 0);
            w.writeVarLong(1);
            w.writeString("node-1");
            w.writeSignedVarLong(1);
            w.writeVarLong(-1);
        }), "membership view has a bad heartbeat: heartbeat counter must not be negative");
        assertRejected(view(w -> {
            header(w, 0);
            w.writeVarLong(0);
            w.writeByte(2);
        }), "membership view has a ring flag that is neither 0 nor 1");
        assertRejected(view(w -> {
            header(w, 0);
            w.writeVarLong(0);
            w.writeByte(1);
            w.writeBytes(new byte[] {9});
        }), "membership view has a bad ring: corrupt ring: unknown ring format 9");
        assertRejected(view(w -> {
            header(w, 0);
            w.writeVarLong(0);
            w.writeByte(0);
            w.writeByte(0);
            w.writeVarLong(0);
            w.writeByte(0);
        }), "membership view has 1 trailing bytes");
        assertRejected(view(w -> {
            header(w, 0);
            w.writeVarLong(0);
            w.writeByte(0);
            w.writeByte(3);
        }), "membership view has a next ring flag that is neither 0 nor 1");
        assertRejected(view(w -> {
            header(w, 0);
            w.writeVarLong(0);
            w.writeByte(0);
            w.writeByte(0);
            w.writeVarLong(2);
            w.writeString("node-2");
            w.writeVarLong(1);
            w.writeString("node-1");
            w.writeVarLong(1);
        }), "membership view has id 'node-1' out of order");
        Ring ring = Ring.create(8, Views.members(2));
        assertRejected(view(w -> {
            header(w, 0);
            w.writeVarLong(0);
            w.writeByte(1);
            w.writeBytes(RingCodec.encode(ring.withMember(Views.member(5))));
            w.writeByte(1);
            w.writeBytes(RingCodec.encode(ring));
            w.writeVarLong(0);
        }), "membership view has a next ring (version 1) no newer than its ring (version 2)");
    }

    @Test
    void aViewWrittenInFormatOneIsStillRead() {
        Ring ring = Ring.create(8, Views.members(2));
        byte[] formatOne = view(w -> {
            w.writeByte(1);
            w.writeString("c");
            w.writeVarLong(0);
            w.writeVarLong(0);
            w.writeByte(1);
            w.writeBytes(RingCodec.encode(ring));
        });
        assertThat(MembershipViewCodec.decode(formatOne)).isEqualTo(MembershipView.of("c", List.of(), Map.of(), ring));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedViewsDecodeToAValidViewOrFailWithIllegalArgument(long seed) {
        Views views = new Views(seed);
        Random random = views.random();
        byte[] bytes = MembershipViewCodec.encode(views.next());
        for (int i = 0; i < 50; i++) {
            byte[] mutated = bytes.clone();
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            MembershipView decoded;
            try {
                decoded = MembershipViewCodec.decode(mutated);
            } catch (IllegalArgumentException rejected) {
                assertThat(rejected).hasMessageStartingWith("membership view ");
                continue;
            }
            assertThat(MembershipViewCodec.decode(MembershipViewCodec.encode(decoded))).isEqualTo(decoded);
        }
    }

    @Test
    void aViewOfSixMembersAndTheirHeartbeatsIsSmall() {
        MembershipView view = MembershipView.of(Views.CLUSTER, MembershipView.formed(Ring.create(8, Views.members(6)))
                .members().values(), Map.of(), null);
        for (int i = 0; i < 6; i++) {
            view = view.withHeartbeat("node-" + i, new Heartbeat(1_750_000_000_000L, 86_400));
        }
        assertThat(MembershipViewCodec.encode(view)).hasSizeLessThan(6 * (38 + 18) + 12);
    }

    private static void header(ByteWriter w, int members) {
        w.writeByte(MembershipViewCodec.FORMAT);
        w.writeString("c");
        w.writeVarLong(members);
    }

    private static void entry(ByteWriter w, String id, String address, int status, long version) {
        w.writeString(id);
        w.writeString(address);
        w.writeString("zone");
        w.writeByte(status);
        w.writeVarLong(version);
        w.writeString("node-0");
    }

    private static byte[] view(Consumer<ByteWriter> body) {
        ByteWriter w = new ByteWriter(16);
        body.accept(w);
        return w.toByteArray();
    }

    private static void assertRejected(byte[] bytes, String message) {
        assertThatThrownBy(() -> MembershipViewCodec.decode(bytes))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
}
