package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Random runs of the replication code under crashes, restarts, partitions, drops and delays, one
 * seed per test (see {@link ReplicationSimulation}). Every failure starts with its seed and the
 * command that replays it.
 *
 * <p>By default seeds 1 to {@value #DEFAULT_SEEDS} run, about 20 seconds on two cores (some 35 ms a
 * seed). Options, all on the usual command
 * {@code ./mvnw -B -o -pl dynamo-node -am test -Dtest=ReplicationSimulationTest -Dsurefire.failIfNoSpecifiedTests=false}:
 * <ul>
 * <li>{@code -Dsimulation.seed=S} runs only seed S; add {@code -Dsimulation.trace=true} to print its
 * event log, which is the same on every run of S;
 * <li>{@code -Dsimulation.seeds=N} runs N seeds from {@code -Dsimulation.from} (default 1): 5000 seeds
 * take about three minutes, and {@code from} lets a long search go on where the last one stopped.
 * </ul>
 */
class ReplicationSimulationTest {

    static final int DEFAULT_SEEDS = 500;
    private static final List<ReplicationSimulation.Result> results = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> everyAcknowledgedWriteSurvives() {
        return seeds().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            ReplicationSimulation.Result result = ReplicationSimulation.run(seed);
            results.add(result);
            assertThat(result.acknowledged()).as(ReplicationSimulation.replay(seed) + ": writes acknowledged").isPositive();
            assertThat(result.hintWrites()).as(ReplicationSimulation.replay(seed) + ": hints written").isPositive();
            assertThat(result.hintsDelivered()).as(ReplicationSimulation.replay(seed) + ": hints delivered").isPositive();
        }));
    }

    @Test
    void aSeedReplaysExactly() {
        long seed = seeds().findFirst().orElseThrow();
        ReplicationSimulation.Result first = ReplicationSimulation.run(seed);
        ReplicationSimulation.Result second = ReplicationSimulation.run(seed);
        assertThat(second).as(ReplicationSimulation.replay(seed) + ": a second run of the seed").isEqualTo(first);
        assertThat(first.events()).isGreaterThan(1000);
    }

    @AfterAll
    static void theRunsDidSomething() {
        if (results.isEmpty()) {
            return;
        }
        long acknowledged = results.stream().mapToLong(ReplicationSimulation.Result::acknowledged).sum();
        long failed = results.stream().mapToLong(ReplicationSimulation.Result::failed).sum();
        long delivered = results.stream().mapToLong(ReplicationSimulation.Result::hintsDelivered).sum();
        long hints = results.stream().mapToLong(ReplicationSimulation.Result::hintWrites).sum();
        System.out.printf("simulation: %d seeds, %d writes acknowledged, %d failed, %d hints written, %d delivered%n",
                results.size(), acknowledged, failed, hints, delivered);
        assertThat(failed).as("writes that failed across the seeds").isPositive();
    }

    private static LongStream seeds() {
        String one = System.getProperty("simulation.seed");
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one.strip()));
        }
        long from = Long.getLong("simulation.from", 1);
        return LongStream.range(from, from + Integer.getInteger("simulation.seeds", DEFAULT_SEEDS));
    }
}
