package dev.dynamo.core.membership;

/**
 * A node's sign of life: its generation (when this incarnation started, in epoch milliseconds)
 * and a counter the node raises itself every gossip round. A restart starts a later generation, so
 * a heartbeat of the new incarnation beats any of the old one, whatever their counters.
 */
public record Heartbeat(long generation, long counter) implements Comparable<Heartbeat> {

    public Heartbeat {
        if (counter < 0) {
            throw new IllegalArgumentException("heartbeat counter must not be negative, got " + counter);
        }
    }

    /** The next heartbeat of this incarnation. */
    public Heartbeat next() {
        return new Heartbeat(generation, counter + 1);
    }

    /** Later generation first, then higher counter. */
    @Override
    public int compareTo(Heartbeat other) {
        int byGeneration = Long.compare(generation, other.generation);
        return byGeneration != 0 ? byGeneration : Long.compare(counter, other.counter);
    }
}
