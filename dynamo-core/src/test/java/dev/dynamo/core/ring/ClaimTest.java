package dev.dynamo.core.ring;

import static dev.dynamo.core.ring.Rings.ceilDiv;
import static dev.dynamo.core.ring.Rings.member;
import static dev.dynamo.core.ring.Rings.members;
import static dev.dynamo.core.ring.Rings.moved;
import static dev.dynamo.core.ring.Rings.spread;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClaimTest {

    static Stream<Arguments> sizes() {
        return IntStream.of(8, 64, 256, 1024).boxed()
                .flatMap(q -> IntStream.rangeClosed(1, 20).mapToObj(s -> Arguments.of(q, s)));
    }

    @ParameterizedTest(name = "Q={0} S={1}")
    @MethodSource("sizes")
    void firstClaimIsBalanced(int q, int s) {
        Ring ring = Ring.create(q, members(s, 1));
        assertThat(spread(ring)).as("Q=%d S=%d", q, s).isLessThanOrEqualTo(1);
        assertThat(ring.ownedCounts()).hasSize(s);
    }

    @ParameterizedTest(name = "Q={0} S={1}")
    @MethodSource("sizes")
    void joinMovesOnlyTheNewcomersShareToTheNewcomer(int q, int s) {
        Ring before = Ring.create(q, members(s, 1));
        Member newcomer = member(s);
        Ring after = before.withMember(newcomer);
        int moved = moved(before, after);
        // No slack needed: targets go to the members already holding most, so on a join no existing
        // member's target exceeds what it holds; exactly the newcomer's target moves.
        assertThat(moved).as("Q=%d S=%d", q, s).isLessThanOrEqualTo(ceilDiv(q, s + 1))
                .isEqualTo(after.ownedCounts().get(newcomer.id()));
        for (int p = 0; p < q; p++) {
            if (!before.owner(p).equals(after.owner(p))) {
                assertThat(after.owner(p)).as("Q=%d S=%d partition %d", q, s, p).isEqualTo(newcomer.id());
            }
        }
        assertThat(spread(after)).as("Q=%d S=%d", q, s).isLessThanOrEqualTo(1);
        assertThat(after.ownedCounts().values()).allMatch(c -> c <= ceilDiv(q, s) + 1);
        assertThat(after.version()).isEqualTo(before.version() + 1);
    }

    @ParameterizedTest(name = "Q={0} S={1}")
    @MethodSource("sizes")
    void leaveMovesOnlyTheLeaversPartitions(int q, int s) {
        Ring before = Ring.create(q, members(s + 1, 1));
        String leaver = member(s / 2).id();
        Ring after = before.withoutMember(leaver);
        for (int p = 0; p < q; p++) {
            boolean wasLeavers = before.owner(p).equals(leaver);
            assertThat(before.owner(p).equals(after.owner(p))).as("Q=%d S=%d partition %d", q, s, p)
                    .isEqualTo(!wasLeavers);
        }
        assertThat(spread(after)).as("Q=%d S=%d", q, s).isLessThanOrEqualTo(1);
        assertThat(after.ownedCounts()).doesNotContainKey(leaver);
    }

    @ParameterizedTest(name = "Q={0} S={1}")
    @MethodSource("sizes")
    void claimIsDeterministic(int q, int s) {
        Ring ring = Ring.create(q, members(s, 1)).withMember(member(s)).withoutMember(member(0).id());
        Ring again = Ring.create(q, members(s, 1).reversed()).withMember(member(s)).withoutMember(member(0).id());
        assertThat(again).isEqualTo(ring).hasSameHashCodeAs(ring);
    }

    @ParameterizedTest(name = "Q={0} S={1}")
    @MethodSource("sizes")
    void joinsKeepEveryThreePartitionWindowOnDistinctMembers(int q, int s) {
        // Round robin with S dividing Q has no repeats in any window; a joiner must not create one.
        if (s < 3 || q % s != 0) {
            return;
        }
        Ring ring = Ring.create(q, members(s, 1)).withMember(member(s)).withMember(member(s + 1));
        for (int p = 0; p < q; p++) {
            var window = new java.util.HashSet<String>();
            for (int d = 0; d < Claim.TARGET_N; d++) {
                window.add(ring.owner((p + d) % q));
            }
            assertThat(window).as("Q=%d S=%d+2 window at %d", q, s, p).hasSize(Claim.TARGET_N);
        }
    }
}
