package dev.dynamo.core.ring;

import static dev.dynamo.core.ring.Rings.member;
import static dev.dynamo.core.ring.Rings.members;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PreferenceListTest {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    /** A ring grown by a seeded mix of joins and leaves, so lists are checked on claimed rings too. */
    static Ring randomRing(Random random, int zones) {
        int q = 1 << (3 + random.nextInt(6));
        int next = 1 + random.nextInt(8);
        Ring ring = Ring.create(q, members(next, zones));
        for (int step = random.nextInt(10); step > 0; step--) {
            int s = ring.members().size();
            ring = s > 1 && random.nextInt(3) == 0
                    ? ring.withoutMember(ring.members().get(random.nextInt(s)).id())
                    : ring.withMember(member(next++, zones));
        }
        return ring;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void listsHoldDistinctMembersStartingAtTheOwner(long seed) {
        Random random = new Random(seed);
        Ring ring = randomRing(random, 1 + random.nextInt(3));
        for (int i = 0; i < 50; i++) {
            long position = random.nextLong();
            int n = 1 + random.nextInt(6);
            List<Member> list = ring.preferenceList(position, n);
            String context = "seed " + seed + " position " + Long.toHexString(position) + " n=" + n;
            assertThat(list).as(context).hasSize(Math.min(n, ring.members().size())).doesNotHaveDuplicates();
            assertThat(list.get(0).id()).as(context).isEqualTo(ring.owner(ring.partitionOf(position)));
            List<Member> extended = ring.extendedPreferenceList(position);
            assertThat(extended).as(context).hasSameElementsAs(ring.members()).doesNotHaveDuplicates()
                    .startsWith(list.toArray(Member[]::new));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void threeReplicasSpanThreeZones(long seed) {
        Random random = new Random(seed);
        Ring ring = randomRing(random, 3);
        long zones = ring.members().stream().map(Member::zone).distinct().count();
        for (int p = 0; p < ring.partitions(); p++) {
            List<Member> list = ring.preferenceList(ring.partitionStart(p), 3);
            var spanned = new HashSet<String>();
            list.forEach(m -> spanned.add(m.zone()));
            assertThat(spanned).as("seed %d partition %d list %s", seed, p, list)
                    .hasSize((int) Math.min(3, zones));
        }
    }

    @Test
    void withOneZoneTheListIsThePlainRingWalk() {
        Ring ring = Ring.create(8, members(4, 1));
        // Round robin first claim: partition p belongs to node p mod 4.
        assertThat(ring.preferenceList(ring.partitionStart(3), 3)).extracting(Member::id)
                .containsExactly("node-003", "node-000", "node-001");
    }

    @Test
    void zonesAreFilledBeforeTheWalkOrderResumes() {
        // Partitions alternate a, b, c, d; a, b in zone x, c, d in zone y, so x x y y.
        List<Member> ms = List.of(new Member("a", "h:1", "x"), new Member("b", "h:2", "x"),
                new Member("c", "h:3", "y"), new Member("d", "h:4", "y"));
        Ring ring = Ring.of(4, 1, ms, List.of("a", "b", "c", "d"));
        assertThat(ring.extendedPreferenceList(ring.partitionStart(0))).extracting(Member::id)
                .containsExactly("a", "c", "b", "d");
    }

    @Test
    void moreMembersThanPartitionsStillListsEveryMember() {
        Ring ring = Ring.create(2, members(5, 1));
        assertThat(ring.preferenceList(0, 3)).hasSize(3).doesNotHaveDuplicates();
        assertThat(ring.extendedPreferenceList(-1)).hasSize(5);
        assertThatThrownBy(() -> ring.preferenceList(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
