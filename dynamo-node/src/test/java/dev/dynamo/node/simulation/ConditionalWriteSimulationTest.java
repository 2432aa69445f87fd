package dev.dynamo.node.simulation;

import static dev.dynamo.node.simulation.SimulatedCluster.key;
import static dev.dynamo.node.simulation.SimulatedCluster.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.coordination.ConditionFailedException;
import dev.dynamo.node.coordination.QuorumNotReachedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Conditional writes on the simulated cluster (N=3, R=2, W=2): what they guarantee (checked against R
 * replies, which overlap every W acknowledgements) and what they do not (two writes whose checks both
 * ran before either wrote both succeed, as siblings).
 */
class ConditionalWriteSimulationTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final StorageKey KEY = key("conditional");

    private final SimulatedCluster cluster = new SimulatedCluster(1, 3, 32);
    private final List<SimulatedNode> order = cluster.preferenceOrder(KEY);

    @Test
    void aCreateSucceedsOnceAndTheNextIsRefusedWithTheCurrentState() {
        VersionedValue created = create(order.get(0), "a");
        assertThat(values(created)).containsExactly("a");

        ConditionFailedException refused = refused(conditional(order.get(1), WriteCondition.ABSENT, null, "b"));

        assertThat(refused.current().clock()).isEqualTo(created.clock());
        assertThat(values(read(order.get(2)))).containsExactly("a");
        assertThat(order.get(1).counted("dynamo.conditional.failed")).isEqualTo(1);
    }

    @Test
    void aCreateSeesAWriteAcknowledgedAtWEvenAtAReplicaThatMissedIt() {
        SimulatedNode stale = order.get(2);
        stale.crash();
        cluster.await(order.get(0).coordinator().write(KEY, VersionVector.empty(), content("a"), 2), LIMIT);
        order.get(0).crash(); // with the hint for the stale replica, so it stays stale
        cluster.restart(stale);
        assertThat(stale.stored(KEY).siblings()).isEmpty();

        // the stale replica coordinates, reads itself and one other: R + W > N, so the other has the write
        ConditionFailedException refused = refused(conditional(stale, WriteCondition.ABSENT, null, "b"));

        assertThat(values(refused.current())).containsExactly("a");
    }

    @Test
    void aDeletedKeyCountsAsAbsentAndTheCreateSupersedesTheTombstone() {
        VersionedValue created = create(order.get(0), "a");
        cluster.await(order.get(0).coordinator().write(KEY, created.clock(), Content.tombstone(0), 2), LIMIT);

        create(order.get(1), "b");

        VersionedValue read = read(order.get(2));
        assertThat(values(read)).containsExactly("b");
        assertThat(read.siblings()).as("the tombstone is superseded, not a sibling").hasSize(1);
    }

    @Test
    void aReplaceSucceedsOnlyWithTheContextOfTheCurrentState() {
        VersionedValue first = create(order.get(0), "v1");
        VersionedValue second = cluster.await(order.get(1).coordinator().conditionalWrite(KEY, WriteCondition.MATCHES,
                first.clock(), content("v2"), 2, 2), LIMIT);

        ConditionFailedException refused = refused(conditional(order.get(2), WriteCondition.MATCHES, first.clock(), "v3"));
        assertThat(refused.current().clock()).isEqualTo(second.clock());
        assertThat(refused(conditional(order.get(2), WriteCondition.MATCHES, VersionVector.empty(), "v3"))
                .current().clock()).isEqualTo(second.clock());

        cluster.await(conditional(order.get(2), WriteCondition.MATCHES, second.clock(), "v3"), LIMIT);
        assertThat(values(read(order.get(0)))).containsExactly("v3");
    }

    @Test
    void twoCreatesWhoseChecksBothRanBeforeEitherWroteBothSucceedAsSiblings() {
        // the documented non-guarantee: the check and the write are two steps, not one atomic one
        CompletableFuture<VersionedValue> a = conditional(order.get(0), WriteCondition.ABSENT, null, "a");
        CompletableFuture<VersionedValue> b = conditional(order.get(1), WriteCondition.ABSENT, null, "b");

        cluster.await(a, LIMIT);
        cluster.await(b, LIMIT);

        assertThat(values(cluster.await(order.get(2).coordinator().get(KEY, 3), LIMIT))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void createsOnBothSidesOfAPartitionBothSucceedAndMeetAsSiblingsWhenItHeals() {
        // five nodes, so that the side with one primary has stand-ins for the other two (sloppy quorum)
        SimulatedCluster five = new SimulatedCluster(1, 5, 32);
        List<SimulatedNode> byPreference = five.preferenceOrder(KEY);
        five.network().partition(List.of(
                Set.of(byPreference.get(0).member().address(), byPreference.get(3).member().address(),
                        byPreference.get(4).member().address()),
                Set.of(byPreference.get(1).member().address(), byPreference.get(2).member().address())));
        five.scheduler().runFor(Duration.ofSeconds(10)); // each side's failure detectors give up on the other

        five.await(byPreference.get(0).coordinator().conditionalWrite(KEY, WriteCondition.ABSENT, null, content("a"), 2, 2),
                LIMIT);
        five.await(byPreference.get(1).coordinator().conditionalWrite(KEY, WriteCondition.ABSENT, null, content("b"), 2, 2),
                LIMIT);

        five.network().heal();
        assertThat(five.scheduler().runUntil(five::hintsDrained, Duration.ofMinutes(1))).as("hints delivered").isTrue();
        assertThat(values(five.await(byPreference.get(2).coordinator().get(KEY, 3), LIMIT)))
                .containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aSideThatCannotReachRReplicasRefusesAndWritesNothing() {
        cluster.network().partition(List.of(Set.of(order.get(0).member().address()),
                Set.of(order.get(1).member().address(), order.get(2).member().address())));
        cluster.scheduler().runFor(Duration.ofSeconds(10));

        Throwable thrown = catchThrowable(() -> cluster.await(conditional(order.get(0), WriteCondition.ABSENT, null, "a"),
                LIMIT));

        assertThat(thrown).isInstanceOf(CompletionException.class).cause().isInstanceOf(QuorumNotReachedException.class);
        assertThat(order.get(0).stored(KEY).siblings()).isEmpty();
    }

    private VersionedValue create(SimulatedNode coordinator, String value) {
        return cluster.await(conditional(coordinator, WriteCondition.ABSENT, null, value), LIMIT);
    }

    private CompletableFuture<VersionedValue> conditional(SimulatedNode coordinator, WriteCondition condition,
            VersionVector expected, String value) {
        return coordinator.coordinator().conditionalWrite(KEY, condition, expected, content(value), 2, 2);
    }

    private VersionedValue read(SimulatedNode coordinator) {
        return cluster.await(coordinator.coordinator().get(KEY, 2), LIMIT);
    }

    private ConditionFailedException refused(CompletableFuture<VersionedValue> write) {
        Throwable thrown = catchThrowable(() -> cluster.await(write, LIMIT));
        assertThat(thrown).isInstanceOf(CompletionException.class).cause().isInstanceOf(ConditionFailedException.class);
        return (ConditionFailedException) thrown.getCause();
    }

    private static Content content(String value) {
        return new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", 0, false);
    }
}
