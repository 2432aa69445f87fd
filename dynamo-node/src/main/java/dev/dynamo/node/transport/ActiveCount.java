package dev.dynamo.node.transport;

import java.time.Duration;

/** How many things are under way (connections open, requests being served), which a stopping node waits out. */
final class ActiveCount {

    private int count;

    /** One more under way; returns how many are now. */
    synchronized int increment() {
        return ++count;
    }

    /** One fewer under way. */
    synchronized void decrement() {
        if (--count == 0) {
            notifyAll();
        }
    }

    /** Waits until none is under way, or {@code bound} has passed; true when none is. */
    synchronized boolean awaitZero(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        for (long left = bound.toNanos(); count > 0 && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return count == 0;
    }
}
