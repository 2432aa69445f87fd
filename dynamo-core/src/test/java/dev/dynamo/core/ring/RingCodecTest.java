package dev.dynamo.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.bytes.DecoderProperties;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RingCodecTest {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundTrips(long seed) {
        Ring ring = PreferenceListTest.randomRing(new Random(seed), 3);
        byte[] bytes = RingCodec.encode(ring);
        assertThat(bytes[0]).isEqualTo(RingCodec.FORMAT);
        assertThat(RingCodec.decode(bytes)).as("seed %d", seed).isEqualTo(ring);
    }

    @Test
    void roundTripsNonAsciiFieldsAndOnePartition() {
        Ring ring = Ring.of(1, Long.MAX_VALUE, List.of(new Member("nœud-ü", "[::1]:7000", "zone 😀")),
                List.of("nœud-ü"));
        assertThat(RingCodec.decode(RingCodec.encode(ring))).isEqualTo(ring);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void corruptInputIsAnIllegalArgumentOrStillAValidRing(long seed) {
        Random random = new Random(seed);
        byte[] bytes = RingCodec.encode(PreferenceListTest.randomRing(random, 2));
        byte[] corrupt = random.nextBoolean()
                ? Arrays.copyOf(bytes, random.nextInt(bytes.length + 8))
                : flip(bytes, random);
        try {
            Ring decoded = RingCodec.decode(corrupt);
            // A flip in a version or an owner index can still make a valid ring: it must re-encode to itself.
            assertThat(RingCodec.encode(decoded)).as("seed %d", seed).isEqualTo(corrupt);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("seed %d", seed).isNotBlank();
        }
    }

    @Test
    void clearMessagesForKnownCorruptions() {
        byte[] good = RingCodec.encode(Ring.create(8, Rings.members(3, 1)));
        assertThatThrownBy(() -> RingCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        byte[] format = good.clone();
        format[0] = 9;
        assertThatThrownBy(() -> RingCodec.decode(format)).hasMessageContaining("unknown ring format 9");
        byte[] size = good.clone();
        size[1] = 17;
        assertThatThrownBy(() -> RingCodec.decode(size)).hasMessageContaining("out of range");
        byte[] owner = good.clone();
        owner[owner.length - 1] = 3;
        assertThatThrownBy(() -> RingCodec.decode(owner)).hasMessageContaining("owner index 3");
        assertThatThrownBy(() -> RingCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .hasMessageContaining("unexpected bytes");
        assertThatThrownBy(() -> RingCodec.decode(Arrays.copyOf(good, good.length - 1)))
                .hasMessageContaining("truncated");
    }

    /** Found by {@link RingCodecFuzzTest}: 12 bytes claiming 34040 members pre-sized a list for them (136 KiB). */
    @Test
    void aCountOrLengthTheBytesLeftCannotHoldIsRefusedBeforeAnythingIsSizedByIt() {
        String version = "0000000000000001";
        List<byte[]> claims = Stream.of(
                "0107" + "81128af8fe9ad615" + "84f8", // 2^7 partitions, 34040 members, then nothing
                "0110" + version + "0000", // 2^16 partitions, no members, no owners
                "0100" + version + "0001" + "ffff") // one member whose id is 65535 bytes, then nothing
                .map(HexFormat.of()::parseHex).toList();
        for (byte[] bytes : claims) {
            assertThatThrownBy(() -> RingCodec.decode(bytes)).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("truncated");
            assertThat(DecoderProperties.allocatedDecoding(bytes, RingCodec::decode)).isLessThan(16 * 1024);
        }
    }

    private static byte[] flip(byte[] bytes, Random random) {
        byte[] copy = bytes.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }
}
