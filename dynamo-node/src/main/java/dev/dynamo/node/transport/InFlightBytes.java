package dev.dynamo.node.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that all client connections of a node hold at once in requests being served and replies being
 * written. A connection takes a request's bytes before serving it, or pauses reading until another
 * connection gives some back; one request is always let through when none is held, so a frame larger
 * than the budget cannot wedge the node. Thread-safe: connections live on several event loops.
 */
final class InFlightBytes {

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    InFlightBytes(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit, or if nothing is held. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = held.get();
            if (now > 0 && now + bytes > limit) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Takes {@code bytes} whether they fit or not: a reply already made must be written. */
    void take(long bytes) {
        held.addAndGet(bytes);
    }

    /** Gives {@code bytes} back and wakes the connections waiting for room. */
    void give(long bytes) {
        held.addAndGet(-bytes);
        wakeAll();
    }

    /** Runs {@code wake} once when bytes are given back (at once, if they were meanwhile). */
    void whenFreed(Runnable wake) {
        waiting.add(wake);
        if (held.get() < limit) {
            wakeAll(); // room came back between the failed take and now
        }
    }

    private void wakeAll() {
        for (Runnable wake = waiting.poll(); wake != null; wake = waiting.poll()) {
            wake.run();
        }
    }
}
