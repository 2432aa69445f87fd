package dev.dynamo.core.version;

import static dev.dynamo.core.version.ConflictPolicy.SIBLINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.bytes.ByteWriter;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VersionedValueCodecTest {

    private static final VersionVector NONE = VersionVector.empty();

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @Test
    void roundTripsTheEmptyStateInTwoBytesAfterTheVersion() {
        byte[] bytes = VersionedValueCodec.encode(VersionedValue.empty());
        assertThat(bytes).containsExactly(1, 0, 0);
        assertThat(VersionedValueCodec.decode(bytes)).isEqualTo(VersionedValue.empty());
    }

    @Test
    void roundTripsEmptyValueNullContentTypeAndOneMebibyte() {
        byte[] big = new byte[1 << 20];
        new Random(1).nextBytes(big);
        VersionedValue v = VersionedValue.empty()
                .put(NONE, "a", new Content(new byte[0], null, -5, false), SIBLINGS)
                .put(NONE, "b", new Content(big, Content.DEFAULT_CONTENT_TYPE, Long.MAX_VALUE, false), SIBLINGS)
                .put(NONE, "c", Content.tombstone(Long.MIN_VALUE), SIBLINGS);
        VersionedValue decoded = roundTrip(v);
        assertThat(decoded.siblings().get(0).content().contentType()).isNull();
        assertThat(decoded.siblings().get(1).content().value()).isEqualTo(big);
        assertThat(decoded.siblings().get(2).content().tombstone()).isTrue();
    }

    @Test
    void expiringSiblingsKeepTheirExpiryAndOthersKeepTheBytesTheyHadBeforeExpiryExisted() {
        VersionedValue v = VersionedValue.empty()
                .put(NONE, "a", new Content(new byte[] {1}, "text/plain", 7, false, Long.MAX_VALUE), SIBLINGS)
                .put(NONE, "b", new Content(new byte[] {2}, null, 8, false, 1), SIBLINGS)
                .put(NONE, "c", new Content(new byte[] {3}, null, 9, false), SIBLINGS);
        VersionedValue decoded = roundTrip(v);
        assertThat(decoded.siblings()).extracting(s -> s.content().expiresAt())
                .containsExactly(Long.MAX_VALUE, 1L, Content.NEVER);

        // the stored form of a state without expiry, written byte by byte as format 1 always wrote it
        VersionedValue plain = VersionedValue.empty().put(NONE, "a", new Content(new byte[] {1}, null, 5, false), SIBLINGS);
        assertThat(VersionedValueCodec.encode(plain)).containsExactly(bytes(w -> {
            clock(w, "a", 1);
            w.writeVarLong(1);
            w.writeVarLong(0);
            w.writeVarLong(1);
            w.writeByte(0);
            w.writeSignedVarLong(5);
            w.writeBytes(new byte[] {1});
        }));
    }

    @Test
    void roundTripsManySiblingsAndUnusualActors() {
        VersionedValue v = VersionedValue.empty();
        String[] actors = {"node-1", "node-2", "ñødé-ü", "x".repeat(300), "\uD83D\uDE00"};
        for (int i = 0; i < 500; i++) {
            Content content = i % 7 == 0 ? Content.tombstone(i) : VersionedValueTest.text("v" + i, i);
            v = v.put(NONE, actors[i % actors.length], content, SIBLINGS);
        }
        assertThat(roundTrip(v).siblings()).hasSize(500);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundTripsEveryStateOfRandomHistories(long seed) {
        for (ConflictPolicy policy : ConflictPolicy.values()) {
            History.generate(seed, policy).allStates.forEach(VersionedValueCodecTest::roundTrip);
        }
    }

    @Test
    void rejectsMissingWrongVersionAndTrailingBytes() {
        assertRejected(null, "stored value is empty");
        assertRejected(new byte[0], "stored value is empty");
        assertRejected(new byte[] {2, 0, 0}, "stored value has format version 2, expected 1");
        assertRejected(new byte[] {1, 0, 0, 0}, "stored value has 1 trailing bytes");
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] whole = VersionedValueCodec.encode(History.generate(7, SIBLINGS).fullyMerged()
                .put(NONE, "z", VersionedValueTest.text("value", 9), SIBLINGS));
        for (int length = 1; length < whole.length; length++) {
            assertRejected(Arrays.copyOf(whole, length), "stored value is truncated");
        }
    }

    @Test
    void rejectsLengthsBeyondTheInputWithoutAllocating() {
        assertRejected(bytes(w -> w.writeVarLong(Integer.MAX_VALUE)), "stored value is truncated");
        assertRejected(bytes(w -> w.writeVarLong(Long.MAX_VALUE)), "stored value is truncated");
        assertRejected(bytes(w -> w.writeRaw(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1})),
                "stored value has a number too large for 64 bits");
        assertRejected(bytes(w -> {
            clock(w, "a", 1);
            w.writeVarLong(1); // one sibling
            w.writeRaw(new byte[] {0, 1, 0, 0});
            w.writeVarLong(1L << 40); // value length
        }), "stored value is truncated");
    }

    @Test
    void rejectsInconsistentContents() {
        assertRejected(bytes(w -> clock(w, "a", 0)), "stored value has a bad clock entry a=0");
        assertRejected(bytes(w -> clock(w, "", 1)), "stored value has a bad clock entry =1");
        assertRejected(bytes(w -> clock(w, "b", 1, "a", 1)), "stored value has a bad clock entry a=1");
        assertRejected(bytes(w -> clock(w, "a", 1, "a", 2)), "stored value has a bad clock entry a=2");
        assertRejected(bytes(w -> sibling(w, 1, 1, 0)), "stored value has a bad sibling dot 1:1");
        assertRejected(bytes(w -> sibling(w, 0, 2, 0)), "stored value is inconsistent: sibling a:2 is not covered");
        assertRejected(bytes(w -> sibling(w, 0, 1, 8)), "stored value has unknown sibling flags 8");
        assertRejected(bytes(w -> sibling(w, 0, 1, 5)), "stored value has unknown sibling flags 5"); // an expiring tombstone
        assertRejected(bytes(w -> sibling(w, 0, 1, 4)), "stored value has an expiring sibling with no expiry time");
        assertRejected(bytes(w -> {
            w.writeVarLong(1);
            w.writeRaw(new byte[] {1, (byte) 0xC3});
            w.writeVarLong(1);
        }), "stored value has text that is not UTF-8");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void corruptBytesFailWithIllegalArgumentOrStillDecode(long seed) {
        Random random = new Random(seed);
        byte[] bytes = VersionedValueCodec.encode(History.generate(seed, SIBLINGS).fullyMerged());
        for (int i = 0; i < 20; i++) {
            byte[] corrupt = bytes.clone();
            corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 << random.nextInt(8));
            try {
                VersionedValueCodec.decode(corrupt);
            } catch (IllegalArgumentException expected) {
                assertThat(expected).as("seed %d", seed).hasMessageStartingWith("stored value ");
            }
        }
    }

    private static VersionedValue roundTrip(VersionedValue v) {
        VersionedValue decoded = VersionedValueCodec.decode(VersionedValueCodec.encode(v));
        assertThat(decoded).isEqualTo(v);
        return decoded;
    }

    private static void assertRejected(byte[] bytes, String message) {
        assertThatThrownBy(() -> VersionedValueCodec.decode(bytes))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    /** A format-1 stored form with {@code body} after the version byte. */
    private static byte[] bytes(Consumer<ByteWriter> body) {
        ByteWriter w = new ByteWriter(16);
        w.writeByte(1);
        body.accept(w);
        return w.toByteArray();
    }

    private static void clock(ByteWriter w, Object... actorsAndCounters) {
        w.writeVarLong(actorsAndCounters.length / 2);
        for (int i = 0; i < actorsAndCounters.length; i += 2) {
            w.writeString((String) actorsAndCounters[i]);
            w.writeVarLong((Integer) actorsAndCounters[i + 1]);
        }
    }

    /** A clock {a=1} and one sibling. */
    private static void sibling(ByteWriter w, int actorIndex, int counter, int flags) {
        clock(w, "a", 1);
        w.writeVarLong(1);
        w.writeVarLong(actorIndex);
        w.writeVarLong(counter);
        w.writeByte(flags);
        w.writeSignedVarLong(0);
        w.writeVarLong(0);
    }
}
