package dev.dynamo.node.scheduling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The real scheduler: one daemon timer thread that hands each task to a virtual thread. */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dynamo-timer").daemon().factory());

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
