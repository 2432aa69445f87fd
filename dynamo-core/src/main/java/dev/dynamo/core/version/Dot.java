package dev.dynamo.core.version;

import java.util.Objects;

/**
 * One write's identity: the {@code counter}-th event of {@code actor} (Almeida et al. 2014, section 5).
 *
 * <p>Ordered by actor, then counter, which is the order siblings are listed in.
 */
public record Dot(String actor, long counter) implements Comparable<Dot> {

    /** @throws IllegalArgumentException when the actor is empty or the counter is below 1 */
    public Dot {
        Objects.requireNonNull(actor, "actor");
        if (actor.isEmpty()) {
            throw new IllegalArgumentException("a dot's actor must not be empty");
        }
        if (counter < 1) {
            throw new IllegalArgumentException("a dot's counter must be at least 1, was " + counter);
        }
    }

    @Override
    public int compareTo(Dot other) {
        int byActor = actor.compareTo(other.actor);
        return byActor != 0 ? byActor : Long.compare(counter, other.counter);
    }

    @Override
    public String toString() {
        return actor + ":" + counter;
    }
}
