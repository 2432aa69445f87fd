package dev.dynamo.node.transfer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bytes per second over the last {@link #WINDOW}, from a running total recorded as it grows: the
 * oldest sample kept is the last one at or before the window's start, so the rate spans the whole
 * window, and a stalled transfer's rate falls as time passes. Not thread-safe: its owner guards it.
 */
final class RateMeter {

    static final Duration WINDOW = Duration.ofSeconds(10);

    private record Sample(Instant at, long total) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** The running total is {@code total} at {@code at}. */
    void record(Instant at, long total) {
        samples.addLast(new Sample(at, total));
        Instant windowStart = at.minus(WINDOW);
        Sample oldest = samples.removeFirst();
        while (!samples.isEmpty() && !samples.getFirst().at().isAfter(windowStart)) {
            oldest = samples.removeFirst();
        }
        samples.addFirst(oldest);
    }

    /** The rate up to {@code now}; zero before two samples. */
    double perSecond(Instant now) {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.getFirst();
        long nanos = Duration.between(first.at(), now).toNanos();
        return nanos <= 0 ? 0 : (samples.getLast().total() - first.total()) * 1e9 / nanos;
    }
}
