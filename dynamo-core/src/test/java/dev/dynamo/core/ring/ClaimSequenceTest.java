package dev.dynamo.core.ring;

import static dev.dynamo.core.ring.Rings.ceilDiv;
import static dev.dynamo.core.ring.Rings.member;
import static dev.dynamo.core.ring.Rings.moved;
import static dev.dynamo.core.ring.Rings.spread;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random join and leave sequences, one per seed: a failing seed replays exactly. */
class ClaimSequenceTest {

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void joinsAndLeavesKeepBalanceAndMoveOnlyWhatTheyMust(long seed) {
        Random random = new Random(seed);
        int q = 1 << (3 + random.nextInt(6));
        int zones = 1 + random.nextInt(3);
        int next = 1 + random.nextInt(6);
        List<Member> initial = new ArrayList<>();
        for (int i = 0; i < next; i++) {
            initial.add(member(i, zones));
        }
        Ring ring = Ring.create(q, initial);
        for (int step = 0; step < 25; step++) {
            int s = ring.members().size();
            boolean join = s == 1 || (s < 40 && random.nextBoolean());
            Ring after;
            String context;
            if (join) {
                Member m = member(next++, zones);
                after = ring.withMember(m);
                context = "seed " + seed + " step " + step + " Q=" + q + " join " + m.id() + " to S=" + s;
                assertThat(moved(ring, after)).as(context).isLessThanOrEqualTo(ceilDiv(q, s + 1))
                        .isEqualTo(after.ownedCounts().get(m.id()));
            } else {
                String leaver = ring.members().get(random.nextInt(s)).id();
                after = ring.withoutMember(leaver);
                context = "seed " + seed + " step " + step + " Q=" + q + " leave " + leaver + " from S=" + s;
                assertThat(moved(ring, after)).as(context).isEqualTo(ring.ownedCounts().get(leaver));
            }
            assertThat(spread(after)).as(context).isLessThanOrEqualTo(1);
            var ids = new HashSet<String>();
            after.members().forEach(m -> ids.add(m.id()));
            assertThat(after.owners()).as(context).hasSize(q).allMatch(ids::contains);
            assertThat(after.version()).as(context).isEqualTo(ring.version() + 1);
            ring = after;
        }
    }
}
