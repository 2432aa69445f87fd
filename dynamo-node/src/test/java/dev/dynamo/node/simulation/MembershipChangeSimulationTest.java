package dev.dynamo.node.simulation;

import static dev.dynamo.node.simulation.SimulatedCluster.N;
import static dev.dynamo.node.simulation.SimulatedCluster.W;
import static dev.dynamo.node.simulation.SimulatedCluster.key;
import static dev.dynamo.node.simulation.SimulatedCluster.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.membership.MemberStatus;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.Content;
import dev.dynamo.node.membership.ClusterUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Membership changes under steady writes through the members: a node joins a cluster of three,
 * then the claimant itself leaves; or the joiner crashes while copying and restarts. The changes
 * complete, about a quarter of the partitions move to the joiner, no write fails, and every
 * acknowledged write ends on all N replicas of the final ring.
 */
class MembershipChangeSimulationTest {

    private static final int PARTITIONS = 32;
    private static final Duration CHANGE_LIMIT = Duration.ofMinutes(2);
    private static final Duration WRITE_EVERY = Duration.ofMillis(25);

    /** Seeds 1 to 20 by default, about 3 s; {@code -Dsimulation.membership.seeds=N} runs N (100 take about 12 s). */
    static LongStream seeds() {
        return LongStream.rangeClosed(1, Integer.getInteger("simulation.membership.seeds", 20));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aJoinThenALeaveUnderWritesLoseNothingAndEndWithNReplicasOfEveryKey(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 1, PARTITIONS, true);
        cluster.scheduler().runFor(Duration.ofSeconds(5)); // a history of heartbeats
        Writer writer = new Writer(cluster);
        writer.next();
        cluster.scheduler().runFor(Duration.ofSeconds(2));
        Ring before = cluster.ring();

        SimulatedNode joiner = cluster.node(4);
        cluster.await(cluster.node(2).membershipChanges().join(joiner.member().address()), Duration.ofSeconds(5));
        awaitSettled(cluster, "node4", MemberStatus.UP);
        Ring joined = cluster.ring();
        assertThat(joined.ownedCounts().get("node4")).as("seed %d: the joiner's share", seed)
                .isBetween(PARTITIONS / 4 - 1, PARTITIONS / 4 + 1);
        assertThat(moved(before, joined)).as("seed %d: partitions that changed owner", seed)
                .isEqualTo(joined.ownedCounts().get("node4"));

        cluster.node(3).membershipChanges().leave("node1");
        awaitSettled(cluster, "node1", MemberStatus.REMOVED);
        cluster.scheduler().runUntil(() -> !cluster.node(1).cluster().isMember(), Duration.ofSeconds(10));
        assertThatThrownBy(() -> cluster.node(1).coordinator().get(key("k0"), SimulatedCluster.R))
                .isInstanceOf(ClusterUnavailableException.class).hasMessageContaining("was removed from the cluster");
        writer.stop();
        cluster.scheduler().runFor(Duration.ofSeconds(5)); // writes in flight end

        assertThat(writer.failed).as("seed %d: failed writes (of %d)", seed, writer.acknowledged.size()).isEmpty();
        assertThat(writer.acknowledged).as("seed %d", seed).hasSizeGreaterThan(500);
        for (Map.Entry<String, String> write : writer.acknowledged.entrySet()) {
            List<SimulatedNode> primaries = cluster.primaries(key(write.getKey()));
            assertThat(primaries).extracting(SimulatedNode::id).doesNotContain("node1");
            for (SimulatedNode primary : primaries) {
                assertThat(values(primary.stored(key(write.getKey()))))
                        .as("seed %d: %s on %s of %s", seed, write.getKey(), primary.id(), primaries.size())
                        .contains(write.getValue());
            }
        }
        assertThat(N).isGreaterThan(W);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aJoinerThatCrashesWhileCopyingResumesAndTheJoinStillLosesNothing(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 1, PARTITIONS, true);
        cluster.scheduler().runFor(Duration.ofSeconds(5));
        Writer writer = new Writer(cluster);
        writer.next();
        cluster.scheduler().runFor(Duration.ofSeconds(10)); // enough data that copying takes a while
        SimulatedNode joiner = cluster.node(4);
        cluster.await(cluster.node(1).membershipChanges().join(joiner.member().address()), Duration.ofSeconds(5));

        boolean copying = cluster.scheduler().runUntil(() -> joiner.transfers().progress().stream()
                .anyMatch(t -> t.bytesDone() > 0), CHANGE_LIMIT);
        assertThat(copying).as("seed %d: the joiner starts copying", seed).isTrue();
        joiner.crash();
        cluster.scheduler().runFor(Duration.ofSeconds(3));
        cluster.restart(joiner);
        awaitSettled(cluster, "node4", MemberStatus.UP);
        writer.stop();
        cluster.scheduler().runFor(Duration.ofSeconds(5)); // writes in flight end: acknowledged at W, the rest still travel
        assertThat(cluster.scheduler().runUntil(cluster::hintsDrained, Duration.ofMinutes(1)))
                .as("seed %d: hints delivered", seed).isTrue();

        assertThat(writer.failed).as("seed %d: failed writes (of %d)", seed, writer.acknowledged.size()).isEmpty();
        for (Map.Entry<String, String> write : writer.acknowledged.entrySet()) {
            for (SimulatedNode primary : cluster.primaries(key(write.getKey()))) {
                assertThat(values(primary.stored(key(write.getKey()))))
                        .as("seed %d: %s on %s", seed, write.getKey(), primary.id()).contains(write.getValue());
            }
        }
    }

    /** Runs until every running member's view has {@code id} in {@code status} and no change under way. */
    private static void awaitSettled(SimulatedCluster cluster, String id, MemberStatus status) {
        boolean settled = cluster.scheduler().runUntil(() -> cluster.nodes().stream()
                .filter(n -> n.isUp() && n.cluster().isMember())
                .map(n -> n.cluster().view())
                .allMatch(view -> view.next().isEmpty()
                        && view.member(id).map(e -> e.status() == status).orElse(false)), CHANGE_LIMIT);
        assertThat(settled).as("seed %d: %s %s everywhere within %s; views: %s", cluster.seed(), id, status,
                CHANGE_LIMIT, cluster.nodes().stream().filter(SimulatedNode::isUp).map(n -> n.cluster().view())
                        .map(MembershipView::toString).toList()).isTrue();
    }

    private static int moved(Ring before, Ring after) {
        int moved = 0;
        for (int p = 0; p < before.partitions(); p++) {
            moved += before.owner(p).equals(after.owner(p)) ? 0 : 1;
        }
        return moved;
    }

    /** Writes a new key every few virtual milliseconds through a random member, as a client would. */
    private static final class Writer {

        private final SimulatedCluster cluster;
        private final Map<String, String> acknowledged = new LinkedHashMap<>();
        private final List<String> failed = new ArrayList<>();
        private int written;
        private boolean stopped;

        Writer(SimulatedCluster cluster) {
            this.cluster = cluster;
        }

        void next() {
            if (stopped) {
                return;
            }
            List<SimulatedNode> members = cluster.nodes().stream().filter(n -> n.isUp() && n.cluster().isMember()).toList();
            SimulatedNode via = members.get(cluster.random().nextInt(members.size()));
            String name = "k" + written++;
            String value = "v-" + name;
            via.coordinator().write(key(name), null, new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", 0,
                    false), W).whenComplete((ok, error) -> {
                        if (error == null) {
                            acknowledged.put(name, value);
                        } else {
                            failed.add(name + " via " + via.id() + ": " + error);
                        }
                    });
            cluster.scheduler().schedule(WRITE_EVERY, this::next);
        }

        void stop() {
            stopped = true;
        }
    }
}
