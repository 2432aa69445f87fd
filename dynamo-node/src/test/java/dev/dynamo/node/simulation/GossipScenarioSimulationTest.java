package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.membership.MemberEntry;
import dev.dynamo.core.membership.MemberStatus;
import dev.dynamo.core.membership.MembershipView;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Scripted runs of gossip and failure detection on the simulated cluster: no request is sent, so
 * every opinion comes from heartbeats alone.
 */
class GossipScenarioSimulationTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void aCrashedNodeIsSuspectedWithinSecondsEverywhereAndReachableAgainSoonAfterItRestarts() {
        SimulatedCluster cluster = new SimulatedCluster(1, 5, 32);
        cluster.scheduler().runFor(Duration.ofSeconds(20)); // a history of heartbeat intervals
        SimulatedNode crashed = cluster.node(5);
        List<SimulatedNode> others = cluster.nodes().subList(0, 4);
        assertThat(others).allMatch(n -> n.detector().isAvailable(crashed.id()));

        crashed.crash();
        Duration crashedAt = cluster.scheduler().elapsed();
        awaitTrue(cluster, () -> others.stream().noneMatch(n -> n.detector().isAvailable(crashed.id())));
        Duration suspectedAfter = cluster.scheduler().elapsed().minus(crashedAt);
        assertThat(suspectedAfter).as("time to suspect the crashed node everywhere")
                .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(12));
        assertThat(others).as("the live nodes still deem each other reachable")
                .allMatch(n -> others.stream().allMatch(o -> n.detector().isAvailable(o.id())));

        cluster.restart(crashed);
        Duration restartedAt = cluster.scheduler().elapsed();
        awaitTrue(cluster, () -> others.stream().allMatch(n -> n.detector().isAvailable(crashed.id())));
        assertThat(cluster.scheduler().elapsed().minus(restartedAt)).as("time to see the restarted node again")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void afterAPartitionHealsChangesMadeOnEitherSideReachEveryNodeThroughTheSeeds() {
        SimulatedCluster cluster = new SimulatedCluster(2, 10, 32);
        cluster.scheduler().runFor(Duration.ofSeconds(5));
        Set<String> minority = Set.of("node7:7070", "node8:7070", "node9:7070", "node10:7070"); // no seed among them
        cluster.network().partition(List.of(minority));
        cluster.scheduler().runFor(Duration.ofSeconds(20)); // long enough for each side to suspect the other
        assertThat(cluster.node(8).detector().isAvailable(cluster.node(2).id())).isFalse();

        MemberEntry inMajority = change(cluster, cluster.node(2), cluster.node(4), MemberStatus.LEAVING);
        MemberEntry inMinority = change(cluster, cluster.node(9), cluster.node(7), MemberStatus.LEAVING);
        cluster.scheduler().runFor(Duration.ofSeconds(10));
        assertThat(view(cluster.node(8)).member("node4")).as("the change cannot cross the partition").isNotEqualTo(
                java.util.Optional.of(inMajority));

        cluster.network().heal();
        awaitTrue(cluster, () -> cluster.nodes().stream().allMatch(n -> view(n).member("node4").orElseThrow()
                .equals(inMajority) && view(n).member("node7").orElseThrow().equals(inMinority)));
        awaitTrue(cluster, () -> cluster.nodes().stream().allMatch(n -> cluster.nodes().stream()
                .allMatch(o -> o == n || n.detector().isAvailable(o.id()))));
    }

    @Test
    void aRestartedNodeComesBackWithTheViewItKept() {
        SimulatedCluster cluster = new SimulatedCluster(3, 4, 32);
        MemberEntry leaving = change(cluster, cluster.node(1), cluster.node(2), MemberStatus.LEAVING);
        awaitTrue(cluster, () -> view(cluster.node(3)).member("node2").orElseThrow().equals(leaving));
        cluster.node(3).crash();
        cluster.node(1).crash();
        cluster.node(2).crash();
        cluster.node(4).crash();

        cluster.restart(cluster.node(3));

        MembershipView kept = view(cluster.node(3));
        assertThat(kept.member("node2")).hasValue(leaving);
        assertThat(kept.heartbeats()).as("heartbeats belong to incarnations: none is kept").isEmpty();
        assertThat(cluster.node(3).cluster().isMember()).isTrue();
    }

    /** An operator at {@code issuer} sets {@code subject}'s status. */
    private static MemberEntry change(SimulatedCluster cluster, SimulatedNode issuer, SimulatedNode subject,
            MemberStatus status) {
        MemberEntry entry = view(issuer).member(subject.id()).orElseThrow().changed(subject.member(), status, issuer.id());
        issuer.gossiper().merge(MembershipView.EMPTY.with(entry));
        return entry;
    }

    private static MembershipView view(SimulatedNode node) {
        return node.cluster().view();
    }

    private static void awaitTrue(SimulatedCluster cluster, BooleanSupplier condition) {
        Duration start = cluster.scheduler().elapsed();
        while (!condition.getAsBoolean()) {
            assertThat(cluster.scheduler().elapsed().minus(start)).as("seed %d: condition still false", cluster.seed())
                    .isLessThan(LIMIT);
            cluster.scheduler().runFor(Duration.ofMillis(50));
        }
    }
}
