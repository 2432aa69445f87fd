package dev.dynamo.node.scheduling;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background job run in rounds on a {@link Scheduler}: the first {@code interval} after
 * {@link #start}, each next one {@code interval} after the previous round's future completed, so
 * rounds never overlap and a slow round delays the next rather than piling up. A round that fails,
 * whatever it throws, is logged and counted; the next one still runs.
 */
public final class Rounds {

    private static final Logger log = LoggerFactory.getLogger(Rounds.class);

    private final String name;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Supplier<CompletableFuture<?>> round;
    private volatile boolean stopped = true;
    private final AtomicLong failures = new AtomicLong();

    /** @param name what the job does, for the log */
    public Rounds(String name, Scheduler scheduler, Duration interval, Supplier<CompletableFuture<?>> round) {
        this.name = name;
        this.scheduler = scheduler;
        this.interval = interval;
        this.round = round;
    }

    public void start() {
        stopped = false;
        scheduler.schedule(interval, this::run);
    }

    /** What the job does. */
    public String name() {
        return name;
    }

    /** Rounds that failed (threw, or completed exceptionally) since this was made. */
    public long failures() {
        return failures.get();
    }

    /** Stops after the current round. */
    public void stop() {
        stopped = true;
    }

    private void run() {
        if (stopped) {
            return;
        }
        CompletableFuture<?> done;
        try {
            done = Objects.requireNonNull(round.get(), "the round returned no future");
        } catch (Throwable e) { // an Error too: a job that stopped for good would stall until a restart
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((ok, error) -> {
            if (error != null) {
                failures.incrementAndGet();
                log.warn("{} round failed", name, error);
            }
            if (!stopped) {
                scheduler.schedule(interval, this::run);
            }
        });
    }
}
