package dev.dynamo.node.scheduling;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The real scheduler: one daemon timer thread that hands each task to a virtual thread. */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("dynamo-timer").daemon().factory());

    public ExecutorScheduler() {
        // nearly every request timeout is cancelled: drop them at once rather than at their due time
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        // tasks may do I/O (hint delivery); the timer thread itself only starts them
        ScheduledFuture<?> f = timer.schedule(() -> Thread.ofVirtual().name("dynamo-task").start(task),
                delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
