package dev.dynamo.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dynamo.core.key.StorageKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionRangeTest {

    @ParameterizedTest(name = "Q={0}")
    @ValueSource(ints = {1, 2, 8, 64, 256, 1024, 65536})
    void partitionStartAndPartitionOfAgreeAtEveryBound(int q) {
        Ring ring = Ring.create(q, Rings.members(3, 1));
        for (int p = 0; p < q; p++) {
            long start = ring.partitionStart(p);
            assertThat(ring.partitionOf(start)).as("Q=%d start of %d", q, p).isEqualTo(p);
            if (p > 0) {
                assertThat(ring.partitionOf(start - 1)).as("Q=%d just before %d", q, p).isEqualTo(p - 1);
            }
        }
        assertThat(ring.partitionOf(0L)).isZero();
        assertThat(ring.partitionOf(-1L)).as("0xFF..FF is the last position").isEqualTo(q - 1);
        assertThat(ring.partitionOf(Long.MIN_VALUE)).as("0x80..00 is the middle").isEqualTo(q / 2);
        assertThat(ring.partitionOf(Long.MAX_VALUE)).isEqualTo(Math.max(0, q / 2 - 1));
    }

    @ParameterizedTest(name = "Q={0}")
    @ValueSource(ints = {1, 8, 256})
    void partitionsAreContiguousRangesOfStoredKeysInUnsignedOrder(int q) {
        Ring ring = Ring.create(q, Rings.members(3, 1));
        Random random = new Random(q);
        for (int i = 0; i < 2_000; i++) {
            long position = random.nextLong();
            int p = ring.partitionOf(position);
            byte[] stored = StorageKey.rangeStart(position);
            assertThat(Arrays.compareUnsigned(StorageKey.rangeStart(ring.partitionStart(p)), stored))
                    .as("Q=%d position %x", q, position).isLessThanOrEqualTo(0);
            if (p + 1 < q) {
                assertThat(Arrays.compareUnsigned(stored, StorageKey.rangeStart(ring.partitionStart(p + 1))))
                        .as("Q=%d position %x", q, position).isNegative();
            }
        }
    }

    @ParameterizedTest(name = "Q={0}")
    @ValueSource(ints = {0, -8, 3, 96, 1 << 17})
    void partitionCountMustBeAPowerOfTwoInRange(int q) {
        List<Member> members = Rings.members(2, 1);
        assertThatThrownBy(() -> Ring.create(q, members)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }

    @ParameterizedTest(name = "partition {0}")
    @ValueSource(ints = {-1, 8})
    void partitionOutOfRangeIsRejected(int p) {
        Ring ring = Ring.create(8, Rings.members(2, 1));
        assertThatThrownBy(() -> ring.owner(p)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.partitionStart(p)).isInstanceOf(IllegalArgumentException.class);
        assertThat(IntStream.range(0, 8).mapToObj(ring::owner)).hasSize(8);
    }

    @ParameterizedTest(name = "Q={0}")
    @ValueSource(ints = {1, 2, 8, 256, 65536})
    void aPartitionRangeIsExactlyTheStoredKeysOfThePartitionTheRingGivesThem(int q) {
        Ring ring = Ring.create(q, Rings.members(3, 1));
        Random random = new Random(q);
        for (int i = 0; i < 2_000; i++) {
            StorageKey key = StorageKey.of("b", ("k" + random.nextInt()).getBytes(StandardCharsets.UTF_8));
            int p = random.nextBoolean() ? ring.partitionOf(key.position()) : random.nextInt(q);
            PartitionRange range = new PartitionRange(q, p);
            byte[] stored = key.encode();
            boolean inRange = Arrays.compareUnsigned(range.start(), stored) <= 0
                    && (range.end() == null || Arrays.compareUnsigned(stored, range.end()) < 0);
            assertThat(range.contains(key.position())).as("Q=%d key %s", q, key)
                    .isEqualTo(ring.partitionOf(key.position()) == p).isEqualTo(inRange);
        }
        assertThat(new PartitionRange(q, 0).start()).isEqualTo(new byte[8]);
        assertThat(new PartitionRange(q, q - 1).end()).isNull();
    }

    @ParameterizedTest(name = "Q={0}")
    @ValueSource(ints = {1, 4, 1024})
    void theShareUpToAPositionGrowsFromAlmostNothingToAll(int q) {
        for (int p : new int[] {0, q / 2, q - 1}) {
            PartitionRange range = new PartitionRange(q, p);
            Ring ring = Ring.create(q, Rings.members(1, 1));
            long first = ring.partitionStart(p);
            long last = p + 1 == q ? -1L : ring.partitionStart(p + 1) - 1;
            assertThat(range.shareUpTo(first)).isGreaterThan(0).isLessThan(1e-9);
            assertThat(range.shareUpTo(last)).isEqualTo(1.0);
            assertThat(range.shareUpTo(first + ((last - first) >>> 1))).isCloseTo(0.5, within(1e-9));
            if (q > 1) {
                long outside = p == 0 ? last + 1 : first - 1;
                assertThatThrownBy(() -> range.shareUpTo(outside)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @ParameterizedTest(name = "partition {0}")
    @ValueSource(ints = {-1, 8})
    void aRangeOutsideTheRingIsRejected(int p) {
        assertThatThrownBy(() -> new PartitionRange(8, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition " + p + " out of range 0..7");
        assertThatThrownBy(() -> new PartitionRange(12, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }
}
