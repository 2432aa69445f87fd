package dev.dynamo.node.simulation;

import static dev.dynamo.node.simulation.SimulatedCluster.key;
import static dev.dynamo.node.simulation.SimulatedCluster.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.coordination.QuorumNotReachedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Scripted runs that pin each replication mechanism on its own, on the same simulated cluster as
 * the random runs but with no random faults: what happens is what the script does.
 */
class ReplicationScenarioSimulationTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final StorageKey KEY = key("scenario");

    @Test
    void aWriteWithAPrimaryDownIsAcknowledgedAndAStandInKeepsItsHintUntilTheOwnerReturns() {
        handOffWithTheThirdPrimaryDown(5, 3);
    }

    @Test
    void withNoStandInTheCoordinatorKeepsTheHint() {
        handOffWithTheThirdPrimaryDown(3, 0);
    }

    @Test
    void readRepairBringsAStalePrimaryUpToDate() {
        SimulatedCluster cluster = new SimulatedCluster(1, 3, 32);
        List<SimulatedNode> primaries = cluster.primaries(KEY);
        SimulatedNode coordinator = primaries.get(0);
        SimulatedNode stale = primaries.get(2);
        VersionedValue first = write(cluster, coordinator, VersionVector.empty(), "v1", 3);
        stale.crash();
        write(cluster, coordinator, first.clock(), "v2", 2);
        coordinator.crash(); // with the hint for the stale primary: only a read can repair it now
        cluster.restart(stale);
        assertThat(values(stale.stored(KEY))).containsExactly("v1");

        VersionedValue read = cluster.await(primaries.get(1).coordinator().get(KEY, 2), LIMIT);
        cluster.scheduler().runFor(Duration.ofSeconds(1));

        assertThat(values(read)).containsExactly("v2");
        assertThat(stale.stored(KEY)).isEqualTo(read);
        assertThat(primaries.get(1).counted("dynamo.read.repairs")).isEqualTo(1);
        assertThat(values(coordinator.hints().get(stale.id(), KEY))).as("hint not delivered").containsExactly("v2");
    }

    @Test
    void aReadAsksOnlyRReplicasWhenTheyAnswerInTime() {
        SimulatedCluster cluster = new SimulatedCluster(1, 3, 32);
        List<SimulatedNode> order = cluster.preferenceOrder(KEY);
        write(cluster, order.get(0), VersionVector.empty(), "v1", 3);

        VersionedValue read = cluster.await(order.get(0).coordinator().get(KEY, 2), LIMIT);

        assertThat(values(read)).containsExactly("v1");
        assertThat(replicaReadsTo(cluster, order.get(1))).as("the next primary").isEqualTo(1);
        assertThat(replicaReadsTo(cluster, order.get(2))).as("the third, not needed for R=2").isZero();
        cluster.await(order.get(0).coordinator().get(KEY, 3), LIMIT);
        assertThat(replicaReadsTo(cluster, order.get(2))).as("asked for R=3").isEqualTo(1);
        assertThat(order.get(0).counted("dynamo.read.spares")).isZero();
    }

    @Test
    void aReadWhoseReplicaIsLateAsksTheSpareAfterTheDelayAndAnswersWithoutWaitingForIt() {
        SimulatedCluster cluster = new SimulatedCluster(1, 3, 32);
        List<SimulatedNode> order = cluster.preferenceOrder(KEY);
        write(cluster, order.get(0), VersionVector.empty(), "v1", 3);
        // the second primary stops answering the first; its failure detector has not noticed yet
        cluster.network().partition(List.of(Set.of(order.get(0).member().address(), order.get(2).member().address()),
                Set.of(order.get(1).member().address())));
        Duration start = cluster.scheduler().elapsed();

        VersionedValue read = cluster.await(order.get(0).coordinator().get(KEY, 2), LIMIT);

        assertThat(values(read)).containsExactly("v1");
        assertThat(cluster.scheduler().elapsed().minus(start)).as("answered soon after the 20 ms spare delay, "
                + "not at the request timeout").isLessThan(Duration.ofMillis(100));
        assertThat(order.get(0).counted("dynamo.read.spares")).isEqualTo(1);
    }

    @Test
    void aReadWhoseReplicaFailsAsksTheSpareAtOnce() {
        SimulatedCluster cluster = new SimulatedCluster(1, 3, 32);
        List<SimulatedNode> order = cluster.preferenceOrder(KEY);
        write(cluster, order.get(0), VersionVector.empty(), "v1", 3);
        order.get(1).crash(); // refuses connections at once; the failure detector has not noticed yet
        Duration start = cluster.scheduler().elapsed();

        VersionedValue read = cluster.await(order.get(0).coordinator().get(KEY, 2), LIMIT);

        assertThat(values(read)).containsExactly("v1");
        assertThat(cluster.scheduler().elapsed().minus(start)).as("before the 20 ms spare delay")
                .isLessThan(Duration.ofMillis(20));
        assertThat(order.get(0).counted("dynamo.read.spares")).isEqualTo(1);
    }

    @Test
    void aWriteThatCannotReachWFailsSayingHowManyAcknowledged() {
        assertThat(writeWithTwoPrimariesDown(3, 0, 2)).extracting("answered", "required").containsExactly(1, 2);
    }

    @Test
    void aForwardedWriteThatCannotReachWFailsWithTheCoordinatorsCount() {
        // the first primary coordinates; the fourth node can stand in for only one of the two down, so
        // W=3 is out of reach once both refused: the coordinator gives up at once, with its own ack alone
        assertThat(writeWithTwoPrimariesDown(4, 3, 3)).extracting("answered", "required").containsExactly(1, 3);
    }

    @Test
    void aNodeOutsideThePreferenceListForwardsTheWriteToAPrimary() {
        SimulatedCluster cluster = new SimulatedCluster(1, 5, 32);
        List<SimulatedNode> order = cluster.preferenceOrder(KEY);
        SimulatedNode outsider = order.get(4);

        VersionedValue written = write(cluster, outsider, VersionVector.empty(), "v1", 2);

        assertThat(written.siblings()).singleElement()
                .satisfies(s -> assertThat(s.dot().actor()).isEqualTo(order.get(0).id() + "@1"));
        cluster.scheduler().runFor(Duration.ofSeconds(1));
        assertThat(outsider.stored(KEY).siblings()).isEmpty();
        cluster.primaries(KEY).forEach(p -> assertThat(values(p.stored(KEY))).containsExactly("v1"));
    }

    @Test
    void aForwardedWriteThatAPrimaryRefusesAsNoLongerAMemberGoesToTheNextPrimary() {
        // the key's first primary has learned a ring without it (it left), the forwarder not yet
        SimulatedCluster cluster = new SimulatedCluster(1, 5, 32);
        List<SimulatedNode> order = cluster.preferenceOrder(KEY);
        SimulatedNode left = order.get(0);
        MembershipView view = left.cluster().view();
        left.gossiper().merge(MembershipView.of(view.cluster(), List.of(), Map.of(),
                view.ring().orElseThrow().withoutMember(left.id())));

        VersionedValue written = write(cluster, order.get(4), VersionVector.empty(), "v1", 2);

        assertThat(written.siblings()).singleElement()
                .satisfies(s -> assertThat(s.dot().actor()).isEqualTo(order.get(1).id() + "@1"));
    }

    @Test
    void concurrentWritesWithOneContextBecomeSiblingsAndAWriteWithTheMergedContextResolvesThem() {
        SimulatedCluster cluster = new SimulatedCluster(1, 5, 32);
        List<SimulatedNode> nodes = cluster.nodes();
        write(cluster, nodes.get(0), VersionVector.empty(), "v0", 2);
        VersionVector context = cluster.await(nodes.get(1).coordinator().get(KEY, 2), LIMIT).clock();

        var a = nodes.get(2).coordinator().write(KEY, context, content("a"), 2);
        var b = nodes.get(3).coordinator().write(KEY, context, content("b"), 2);
        cluster.await(a, LIMIT);
        cluster.await(b, LIMIT);
        VersionedValue both = cluster.await(nodes.get(4).coordinator().get(KEY, 3), LIMIT);
        assertThat(values(both)).containsExactlyInAnyOrder("a", "b");
        assertThat(nodes.get(4).counted("dynamo.siblings.returned")).isEqualTo(1);

        write(cluster, nodes.get(4), both.clock(), "c", 2);
        assertThat(values(cluster.await(nodes.get(0).coordinator().get(KEY, 3), LIMIT))).containsExactly("c");
    }

    /**
     * In a cluster of {@code size}, writes at the key's first primary while its third is down: W=2 is
     * reached, the {@code keeper}-th node of the preference order keeps the hint, and once the third
     * is back the hint goes home, so every primary holds the write.
     */
    private static void handOffWithTheThirdPrimaryDown(int size, int keeper) {
        SimulatedCluster cluster = new SimulatedCluster(1, size, 32);
        List<SimulatedNode> order = cluster.preferenceOrder(KEY);
        SimulatedNode down = order.get(2);
        down.crash();

        assertThat(values(write(cluster, order.get(0), VersionVector.empty(), "v1", 2))).containsExactly("v1");
        cluster.scheduler().runFor(Duration.ofSeconds(1));

        assertThat(values(order.get(keeper).hints().get(down.id(), KEY))).containsExactly("v1");
        assertThat(cluster.nodes()).allSatisfy(node -> assertThat(node.counted("dynamo.hints.stored"))
                .as(node.id()).isEqualTo(node == order.get(keeper) ? 1 : 0));
        if (keeper >= SimulatedCluster.N) {
            assertThat(order.get(keeper).stored(KEY).siblings()).as("a stand-in keeps a hint, not data").isEmpty();
        }
        assertThat(down.stored(KEY).siblings()).isEmpty();
        cluster.restart(down);
        assertThat(cluster.scheduler().runUntil(cluster::hintsDrained, Duration.ofSeconds(30))).as("hints drained").isTrue();
        for (SimulatedNode primary : cluster.primaries(KEY)) {
            assertThat(values(primary.stored(KEY))).as(primary.id()).containsExactly("v1");
        }
        assertThat(order.get(keeper).hintsDelivered()).isEqualTo(1);
    }

    private static long replicaReadsTo(SimulatedCluster cluster, SimulatedNode replica) {
        return cluster.network().requestsTo(replica.member().address(), Message.ReplicaRead.class);
    }

    private static VersionedValue write(SimulatedCluster cluster, SimulatedNode node, VersionVector context,
            String value, int w) {
        return cluster.await(node.coordinator().write(KEY, context, content(value), w), LIMIT);
    }

    /** In a cluster of {@code size}, crashes the key's second and third primaries and writes at the {@code via}-th node. */
    private static QuorumNotReachedException writeWithTwoPrimariesDown(int size, int via, int w) {
        SimulatedCluster cluster = new SimulatedCluster(1, size, 32);
        List<SimulatedNode> order = cluster.preferenceOrder(KEY);
        order.get(1).crash();
        order.get(2).crash();
        Throwable thrown = catchThrowable(() -> write(cluster, order.get(via), VersionVector.empty(), "v1", w));
        assertThat(thrown).isInstanceOf(CompletionException.class).cause().isInstanceOf(QuorumNotReachedException.class);
        assertThat(order.get(via).counted("dynamo.quorum.failures", "operation", "put")).isEqualTo(1);
        return (QuorumNotReachedException) thrown.getCause();
    }

    private static Content content(String value) {
        return new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", 0, false);
    }
}
