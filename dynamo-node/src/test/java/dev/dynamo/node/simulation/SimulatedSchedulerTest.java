package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.node.scheduling.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedSchedulerTest {

    private final SimulatedScheduler scheduler = new SimulatedScheduler(1_000);
    private final List<String> ran = new ArrayList<>();

    @Test
    void tasksRunInTimeOrderThenInTheOrderTheyWereScheduledAndTheClockFollows() {
        scheduler.schedule(Duration.ofMillis(20), () -> ran.add("late@" + scheduler.elapsed().toMillis()));
        scheduler.schedule(Duration.ofMillis(10), () -> ran.add("first@" + scheduler.elapsed().toMillis()));
        scheduler.schedule(Duration.ofMillis(10), () -> ran.add("second@" + scheduler.elapsed().toMillis()));

        scheduler.runUntil(Duration.ofMillis(15));
        assertThat(ran).containsExactly("first@10", "second@10");
        assertThat(scheduler.elapsed()).isEqualTo(Duration.ofMillis(15));
        assertThat(scheduler.instant()).isEqualTo(Instant.parse("2025-01-01T00:00:00.015Z"));

        scheduler.runUntilIdle();
        assertThat(ran).containsExactly("first@10", "second@10", "late@20");
    }

    @Test
    void aCancelledTaskAndATaskOfADeadIncarnationDoNotRun() {
        Incarnation incarnation = new Incarnation("node1", 1);
        Scheduler guarded = scheduler.guarded(incarnation::alive);
        scheduler.schedule(Duration.ofMillis(1), () -> ran.add("cancelled")).cancel();
        guarded.schedule(Duration.ofMillis(1), () -> ran.add("alive"));
        guarded.schedule(Duration.ofMillis(3), () -> ran.add("dead"));
        scheduler.schedule(Duration.ofMillis(2), incarnation::end);

        scheduler.runUntilIdle();

        assertThat(ran).containsExactly("alive");
    }

    @Test
    void runUntilAConditionStopsAtItsLimit() {
        scheduler.schedule(Duration.ofSeconds(5), () -> ran.add("too late"));

        assertThat(scheduler.runUntil(() -> !ran.isEmpty(), Duration.ofSeconds(1))).isFalse();
        assertThat(scheduler.runUntil(() -> !ran.isEmpty(), Duration.ofSeconds(10))).isTrue();
        assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aLivelockFailsInsteadOfHanging() {
        Runnable[] again = new Runnable[1];
        again[0] = () -> scheduler.schedule(Duration.ZERO, again[0]);
        scheduler.schedule(Duration.ZERO, again[0]);

        assertThatThrownBy(scheduler::runUntilIdle).hasMessageContaining("more than 1000 simulation steps");
    }
}
