package dev.dynamo.node.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A background job survives whatever one of its rounds throws. */
class RoundsTest {

    /** Runs what is scheduled only when told to, one task at a time. */
    private static final class ManualScheduler implements Scheduler {
        final List<Runnable> due = new ArrayList<>();

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            due.add(task);
            return () -> due.remove(task);
        }

        void runNext() {
            due.removeFirst().run();
        }
    }

    @Test
    void aRoundThatThrowsAnErrorOrFailsIsCountedAndTheNextRoundStillRuns() {
        ManualScheduler scheduler = new ManualScheduler();
        AtomicInteger ran = new AtomicInteger();
        Rounds rounds = new Rounds("test job", scheduler, Duration.ofSeconds(1), () -> switch (ran.incrementAndGet()) {
            case 1 -> throw new OutOfMemoryError("thrown by the round itself");
            case 2 -> CompletableFuture.failedFuture(new StackOverflowError("a failed future"));
            case 3 -> throw new IllegalStateException("a plain bug");
            default -> CompletableFuture.completedFuture(null);
        });

        rounds.start();
        for (int round = 0; round < 4; round++) {
            assertThat(scheduler.due).as("a round is scheduled after round %d", round).hasSize(1);
            scheduler.runNext();
        }

        assertThat(ran).hasValue(4);
        assertThat(rounds.failures()).isEqualTo(3);
        assertThat(scheduler.due).hasSize(1);
    }
}
