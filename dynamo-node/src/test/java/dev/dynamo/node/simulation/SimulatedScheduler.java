package dev.dynamo.node.simulation;

import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.scheduling.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time and the one queue of everything that happens in a simulation: tasks run in (time,
 * sequence number) order on the calling thread, so a run depends on nothing but its seed. The clock
 * only moves when the next task is due, and no task ever waits for real time.
 *
 * <p>Every loop is bounded by a step count: a livelock (a task that keeps rescheduling itself at the
 * same instant) fails loudly instead of hanging the build.
 */
final class SimulatedScheduler implements Scheduler, InstantSource, Ticker {

    /** Virtual time starts at a plausible date rather than 1970, so stamped contents look real. */
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final long maxSteps;
    private long nanos;
    private long sequence;
    private long steps;

    SimulatedScheduler(long maxSteps) {
        this.maxSteps = maxSteps;
    }

    private static final class Task implements Comparable<Task>, Cancellable {
        final long due;
        final long sequence;
        final Runnable body;
        boolean cancelled;

        Task(long due, long sequence, Runnable body) {
            this.due = due;
            this.sequence = sequence;
            this.body = body;
        }

        @Override
        public int compareTo(Task other) {
            return due != other.due ? Long.compare(due, other.due) : Long.compare(sequence, other.sequence);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(nanos + Math.max(0, delay.toNanos()), sequence++, task);
        queue.add(scheduled);
        return scheduled;
    }

    /**
     * A view whose tasks run only while {@code alive} holds when they fall due: a crashed node's
     * timers and periodic jobs die with it, as its threads would.
     */
    Scheduler guarded(BooleanSupplier alive) {
        return (delay, task) -> schedule(delay, () -> {
            if (alive.getAsBoolean()) {
                task.run();
            }
        });
    }

    @Override
    public Instant instant() {
        return START.plusNanos(nanos);
    }

    /** Virtual time as every node's monotonic clock: the nanoseconds since the start. */
    @Override
    public long nanos() {
        return nanos;
    }

    /** Virtual time elapsed since the start. */
    Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    /** Runs every task due up to {@code elapsed} from the start, then sets the clock there. */
    void runUntil(Duration elapsed) {
        long until = elapsed.toNanos();
        while (!queue.isEmpty() && queue.peek().due <= until) {
            step();
        }
        nanos = Math.max(nanos, until);
    }

    /** Runs {@code duration} more of virtual time. */
    void runFor(Duration duration) {
        runUntil(elapsed().plus(duration));
    }

    /**
     * Runs tasks until {@code done} holds, checking before each; false when it still does not after
     * {@code limit} of virtual time (or the queue ran dry).
     */
    boolean runUntil(BooleanSupplier done, Duration limit) {
        long until = nanos + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (queue.isEmpty() || queue.peek().due > until) {
                return false;
            }
            step();
        }
        return true;
    }

    /** Runs tasks until none is left. */
    void runUntilIdle() {
        while (!queue.isEmpty()) {
            step();
        }
    }

    private void step() {
        Task task = queue.poll();
        nanos = task.due;
        if (task.cancelled) {
            return;
        }
        if (++steps > maxSteps) {
            throw new IllegalStateException("more than " + maxSteps + " simulation steps: a livelock?");
        }
        task.body.run();
    }
}
