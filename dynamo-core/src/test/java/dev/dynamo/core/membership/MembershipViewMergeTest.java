package dev.dynamo.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Merge is a join, so nodes that gossip in any order agree; gossip's deltas carry exactly what is missing. */
class MembershipViewMergeTest {

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mergeIsCommutativeAssociativeAndIdempotent(long seed) {
        Views views = new Views(seed);
        for (int i = 0; i < 30; i++) {
            MembershipView x = views.next();
            MembershipView y = views.next();
            MembershipView z = views.next();
            assertThat(x.merge(y)).as("seed %d: commutative", seed).isEqualTo(y.merge(x));
            assertThat(x.merge(y).merge(z)).as("seed %d: associative", seed).isEqualTo(x.merge(y.merge(z)));
            assertThat(x.merge(x)).as("seed %d: idempotent", seed).isEqualTo(x);
            assertThat(x.merge(y).merge(y)).as("seed %d: absorbs what it merged", seed).isEqualTo(x.merge(y));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theDeltaAPeerSendsGivesWhatTheWholeViewWould(long seed) {
        Views views = new Views(seed);
        for (int i = 0; i < 30; i++) {
            MembershipView mine = views.next();
            MembershipView theirs = views.next();
            // as on the wire: the asker sends its heartbeats and digest
            MembershipView delta = theirs.deltaFor(mine.heartbeatsOnly(), mine.digest());
            assertThat(mine.merge(delta)).as("seed %d", seed).isEqualTo(mine.merge(theirs));
            delta.heartbeats().forEach((id, sent) -> assertThat(mine.heartbeat(id))
                    .as("seed %d: only heartbeats the asker lacks", seed)
                    .satisfiesAnyOf(held -> assertThat(held).isEmpty(), held -> assertThat(held.orElseThrow()).isLessThan(sent)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void digestsAreEqualExactlyWhenTheDurablePartsAre(long seed) {
        Views views = new Views(seed);
        for (int i = 0; i < 30; i++) {
            MembershipView x = views.next();
            MembershipView y = views.next();
            boolean sameDurablePart = x.withoutHeartbeats().equals(y.withoutHeartbeats());
            assertThat(x.digest() == y.digest()).as("seed %d", seed).isEqualTo(sameDurablePart);
            assertThat(x.withHeartbeat("node-9", new Heartbeat(9, 9)).digest()).as("seed %d: heartbeats do not count", seed)
                    .isEqualTo(x.digest());
            MembershipView merged = x.merge(y);
            assertThat(merged.digest()).as("seed %d: a merge's digest", seed)
                    .isEqualTo(MembershipView.of(merged.cluster(), merged.members().values(), Map.of(),
                            merged.ring().orElse(null), merged.next().orElse(null), merged.progress()).digest());
        }
    }

    @Test
    void withEqualDigestsOnlyHeartbeatsTravel() {
        MembershipView formed = MembershipView.formed(Ring.create(8, Views.members(3)));
        MembershipView mine = formed.withHeartbeat("node-1", new Heartbeat(1, 4));
        MembershipView theirs = formed.withHeartbeat("node-1", new Heartbeat(1, 5)).withHeartbeat("node-2", new Heartbeat(1, 1));

        MembershipView delta = theirs.deltaFor(mine.heartbeatsOnly(), mine.digest());

        assertThat(delta.members()).isEmpty();
        assertThat(delta.ring()).isEmpty();
        assertThat(delta.heartbeats()).containsOnlyKeys("node-1", "node-2");
        assertThat(theirs.deltaFor(theirs.heartbeatsOnly(), theirs.digest()).heartbeats()).isEmpty();
    }

    @Test
    void theHigherVersionWinsAndTiesGoToTheLaterStatusThenTheGreaterIssuer() {
        Member m = Views.member(1);
        MemberEntry up = MemberEntry.first(m, MemberStatus.UP, "node-1");
        MemberEntry leaving = up.changed(m, MemberStatus.LEAVING, "node-2");
        MemberEntry removedElsewhere = up.changed(m, MemberStatus.REMOVED, "node-0");
        MemberEntry leavingElsewhere = up.changed(m, MemberStatus.LEAVING, "node-3");

        assertThat(entryAfter(up, leaving)).isEqualTo(leaving);
        assertThat(entryAfter(leaving, up)).isEqualTo(leaving);
        assertThat(entryAfter(leaving, removedElsewhere)).isEqualTo(removedElsewhere);
        assertThat(entryAfter(leaving, leavingElsewhere)).isEqualTo(leavingElsewhere);
        assertThat(entryAfter(leavingElsewhere.changed(m, MemberStatus.UP, "node-2"), removedElsewhere).status())
                .as("a later change beats any status").isEqualTo(MemberStatus.UP);
    }

    @Test
    void aNewGenerationBeatsAnyCounterOfTheOldOne() {
        MembershipView old = view().withHeartbeat("node-1", new Heartbeat(100, 500));
        MembershipView restarted = view().withHeartbeat("node-1", new Heartbeat(200, 0));
        assertThat(old.merge(restarted).heartbeat("node-1")).hasValue(new Heartbeat(200, 0));
        assertThat(old.merge(view().withHeartbeat("node-1", new Heartbeat(100, 499))).heartbeat("node-1"))
                .hasValue(new Heartbeat(100, 500));
    }

    @Test
    void aChangeEndsWhenItsNextRingBecomesTheRingAndReadinessOnlyGrows() {
        Ring three = Ring.create(8, Views.members(3));
        Ring four = three.withMember(Views.member(3));
        MembershipView changing = MembershipView.of(Views.CLUSTER, List.of(), Map.of(), three).withNext(four)
                .withReady("node-3", four.version());

        assertThat(changing.next()).hasValue(four);
        assertThat(changing.withNext(three).next()).as("an older next ring loses").hasValue(four);
        assertThat(changing.isReady("node-3", four.version())).isTrue();
        assertThat(changing.hasSeen("node-3", four.version())).as("ready implies seen").isTrue();
        assertThat(changing.withSeen("node-3", four.version()).isReady("node-3", four.version()))
                .as("progress never goes back").isTrue();
        assertThat(changing.isReady("node-2", four.version())).isFalse();
        MembershipView done = changing.merge(MembershipView.of(Views.CLUSTER, List.of(), Map.of(), four));
        assertThat(done.ring()).hasValue(four);
        assertThat(done.next()).as("the change is over").isEmpty();
        assertThat(done.withNext(four).next()).as("and cannot come back").isEmpty();
    }

    @Test
    void theNewerRingWinsAndRingsOfOneVersionAreChosenAlikeEverywhere() {
        Ring three = Ring.create(8, Views.members(3));
        Ring two = Ring.create(8, Views.members(2));
        Ring four = three.withMember(Views.member(3));
        MembershipView a = MembershipView.of(Views.CLUSTER, List.of(), Map.of(), three);
        MembershipView b = MembershipView.of(Views.CLUSTER, List.of(), Map.of(), two);
        MembershipView c = MembershipView.of(Views.CLUSTER, List.of(), Map.of(), four);

        assertThat(a.merge(c).ring()).hasValue(four);
        assertThat(c.merge(a).ring()).hasValue(four);
        assertThat(a.merge(b).ring()).as("same version, different content").isEqualTo(b.merge(a).ring());
        assertThat(a.merge(b).ring().orElseThrow()).isIn(three, two);
    }

    @Test
    void viewsOfDifferentClustersDoNotMergeButANodeWithoutOneAdoptsIt() {
        MembershipView formed = MembershipView.formed(Ring.create(8, Views.members(3)));
        MembershipView other = MembershipView.formed(Ring.create(8, Views.members(2)));

        assertThatThrownBy(() -> formed.merge(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot merge into cluster " + formed.cluster());
        assertThat(MembershipView.EMPTY.merge(formed)).isEqualTo(formed);
        assertThat(formed.merge(MembershipView.EMPTY)).isSameAs(formed);
    }

    @Test
    void everyNodeFormingTheSameRingMakesTheSameView() {
        Ring ring = Ring.create(16, Views.members(3));
        Ring sameInAnotherOrder = Ring.create(16, Views.members(3).reversed());
        MembershipView view = MembershipView.formed(ring);

        assertThat(MembershipView.formed(sameInAnotherOrder)).isEqualTo(view);
        assertThat(view.cluster()).hasSize(16);
        assertThat(view.members().values()).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(MemberStatus.UP);
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.issuer()).isEqualTo(e.id());
        });
        assertThat(view.ringContains("node-2")).isTrue();
        assertThat(view.ringContains("node-3")).isFalse();
    }

    @Test
    void aMergeThatLearnsNothingReturnsTheSameView() {
        Views views = new Views(7);
        MembershipView x = views.next().merge(MembershipView.EMPTY.merge(views.next()));
        assertThat(x.merge(x.withoutHeartbeats())).isSameAs(x);
        assertThat(x.merge(x.heartbeatsOnly())).isSameAs(x);
        assertThat(x.merge(x.deltaFor(x.heartbeatsOnly(), x.digest()))).isSameAs(x);
    }

    private static MemberEntry entryAfter(MemberEntry first, MemberEntry second) {
        return view().with(first).with(second).member(first.id()).orElseThrow();
    }

    private static MembershipView view() {
        return MembershipView.of(Views.CLUSTER, List.of(), Map.of(), null);
    }
}
