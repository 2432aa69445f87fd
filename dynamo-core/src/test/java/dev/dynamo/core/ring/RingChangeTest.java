package dev.dynamo.core.ring;

import static dev.dynamo.core.ring.Rings.member;
import static dev.dynamo.core.ring.Rings.members;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.TreeSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RingChangeTest {

    static Stream<Arguments> changes() {
        return IntStream.of(64, 256).boxed().flatMap(q -> IntStream.rangeClosed(1, 8).boxed()
                .flatMap(s -> IntStream.of(1, 2, 3).mapToObj(zones -> Arguments.of(q, s, zones))));
    }

    /** Current replicas, minus what each node drops, plus what each node receives, is the next ring's replicas. */
    @ParameterizedTest(name = "Q={0} S={1} zones={2}")
    @MethodSource("changes")
    void copiesAndDropsTurnTheCurrentReplicasIntoTheNextOnes(int q, int s, int zones) {
        Ring ring = Ring.create(q, members(s, zones));
        List<RingChange> changes = List.of(new RingChange(ring, ring.withMember(member(s, zones))));
        if (s > 1) {
            changes = List.of(changes.getFirst(), new RingChange(ring, ring.withoutMember(member(0, zones).id())));
        }
        for (RingChange change : changes) {
            for (int n : new int[] {1, 3}) {
                Map<String, Map<Integer, List<Member>>> incoming = new HashMap<>();
                change.next().members().forEach(m -> incoming.put(m.id(), change.incoming(m.id(), n)));
                Map<String, Set<Integer>> outgoing = new HashMap<>();
                change.current().members().forEach(m -> outgoing.put(m.id(), outgoing(change, m.id(), n)));
                for (int p = 0; p < q; p++) {
                    Set<String> result = ids(change.current().preferenceList(change.current().partitionStart(p), n));
                    for (Map.Entry<String, Map<Integer, List<Member>>> node : incoming.entrySet()) {
                        List<Member> sources = node.getValue().get(p);
                        if (sources != null) {
                            assertThat(ids(sources)).as("sources of %d", p).isEqualTo(result);
                        }
                    }
                    int partition = p;
                    outgoing.forEach((id, partitions) -> {
                        if (partitions.contains(partition)) {
                            result.remove(id);
                        }
                    });
                    incoming.forEach((id, partitions) -> {
                        if (partitions.containsKey(partition)) {
                            result.add(id);
                        }
                    });
                    assertThat(result).as("partition %d, n=%d", p, n)
                            .isEqualTo(ids(change.next().preferenceList(change.next().partitionStart(p), n)));
                }
            }
        }
    }

    @Test
    void writesGoToTheCurrentReplicasFirstThenThePendingOnes() {
        Ring ring = Ring.create(64, members(3, 1));
        RingChange join = new RingChange(ring, ring.withMember(member(3)));
        int gained = 0;
        for (int p = 0; p < 64; p++) {
            List<Member> targets = writeReplicas(join, p, 3);
            assertThat(targets.subList(0, 3)).isEqualTo(ring.preferenceList(ring.partitionStart(p), 3));
            assertThat(targets.subList(3, targets.size())).isEqualTo(join.pendingReplicas(p, 3));
            assertThat(join.pendingReplicas(p, 3)).extracting(Member::id).isSubsetOf(member(3).id());
            gained += join.pendingReplicas(p, 3).size();
        }
        // with N=3 of 4 nodes the newcomer replicates about three quarters of the partitions
        assertThat(gained).isEqualTo(join.incoming(member(3).id(), 3).size()).isBetween(40, 56);
        assertThat(outgoing(join, member(3).id(), 3)).isEmpty();
    }

    @Test
    void aLeavingNodeDropsEveryPartitionItReplicatesAndReceivesNothing() {
        Ring ring = Ring.create(64, members(4, 1));
        String leaver = member(2).id();
        RingChange leave = new RingChange(ring, ring.withoutMember(leaver));
        Set<Integer> replicated = new HashSet<>();
        for (int p = 0; p < 64; p++) {
            if (ids(ring.preferenceList(ring.partitionStart(p), 3)).contains(leaver)) {
                replicated.add(p);
            }
        }
        assertThat(outgoing(leave, leaver, 3)).isEqualTo(replicated);
        assertThat(leave.incoming(leaver, 3)).isEmpty();
    }

    @Test
    void refusesAChangeThatIsNotNewerOrSplitsOtherwise() {
        Ring ring = Ring.create(64, members(3, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new RingChange(ring, ring))
                .withMessageContaining("must be newer");
        Ring other = Ring.create(128, members(3, 1)).withMember(member(3));
        assertThatIllegalArgumentException().isThrownBy(() -> new RingChange(ring, other))
                .withMessageContaining("partition count");
    }

    /** Where a coordinator sends a write during the change (see Replicas): the current replicas, then the pending ones. */
    private static List<Member> writeReplicas(RingChange change, int partition, int n) {
        List<Member> targets = new ArrayList<>(change.current().preferenceList(change.current().partitionStart(partition), n));
        targets.addAll(change.pendingReplicas(partition, n));
        return targets;
    }

    /** The partitions member {@code id} replicates now but not under the next ring. */
    private static Set<Integer> outgoing(RingChange change, String id, int n) {
        Set<Integer> outgoing = new TreeSet<>();
        for (int p = 0; p < change.current().partitions(); p++) {
            if (ids(change.current().preferenceList(change.current().partitionStart(p), n)).contains(id)
                    && !ids(change.next().preferenceList(change.next().partitionStart(p), n)).contains(id)) {
                outgoing.add(p);
            }
        }
        return outgoing;
    }

    private static Set<String> ids(List<Member> members) {
        Set<String> ids = new HashSet<>();
        members.forEach(m -> ids.add(m.id()));
        return ids;
    }
}
