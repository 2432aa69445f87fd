package dev.dynamo.node.it;

import java.time.Duration;

/**
 * What a poll of the cluster finds: null once the awaited state holds, else a description of what
 * holds instead. Gossip, transfers and ring changes run on their own rounds, so there is no event
 * to wait on: tests poll, within a bound.
 */
@FunctionalInterface
public interface Poll {

    String unmet() throws Exception;

    /** Polls every 200 ms until {@code poll} is met; fails after {@code bound} with what it found last. */
    static void await(String what, Duration bound, Poll poll) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            String unmet = poll.unmet();
            if (unmet == null) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound + ": " + what + "; last seen: " + unmet);
            }
            Thread.sleep(200);
        }
    }
}
