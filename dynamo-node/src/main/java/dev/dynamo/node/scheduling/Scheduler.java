package dev.dynamo.node.scheduling;

import java.time.Duration;

/**
 * Runs tasks later. Coordination code takes its timeouts and periodic jobs from here (never from
 * {@code Thread.sleep} or a timer of its own), so the simulation can drive them on virtual time.
 */
public interface Scheduler {

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it if not yet run. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that has not run yet. */
    @FunctionalInterface
    interface Cancellable {
        /** Stops the task from running; does nothing if it ran already. */
        void cancel();
    }
}
