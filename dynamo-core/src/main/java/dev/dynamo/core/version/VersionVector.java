package dev.dynamo.core.version;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable version vector: for each actor, how many of its events have been seen
 * (DeCandia et al. 2007, section 4.4). Only counters above zero are kept, so equal
 * histories give equal vectors.
 */
public final class VersionVector {

    private static final VersionVector EMPTY = new VersionVector(new TreeMap<>());

    private final SortedMap<String, Long> entries;

    private VersionVector(TreeMap<String, Long> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /** The vector that has seen nothing. */
    public static VersionVector empty() {
        return EMPTY;
    }

    /** A vector of the given counters; zero counters are dropped. */
    public static VersionVector of(Map<String, Long> entries) {
        TreeMap<String, Long> copy = new TreeMap<>();
        entries.forEach((actor, counter) -> put(copy, actor, counter));
        return copy.isEmpty() ? EMPTY : new VersionVector(copy);
    }

    /** The counter of {@code actor}: 0 when absent. */
    public long get(String actor) {
        Long counter = entries.get(actor);
        return counter == null ? 0 : counter;
    }

    /** Whether this vector has seen the event {@code dot}. */
    public boolean covers(Dot dot) {
        return dot.counter() <= get(dot.actor());
    }

    /** Whether this vector has seen everything {@code other} has: this is at least other, pointwise. */
    public boolean descends(VersionVector other) {
        for (Map.Entry<String, Long> e : other.entries.entrySet()) {
            if (get(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Everything either vector has seen: the pointwise maximum. */
    public VersionVector merge(VersionVector other) {
        if (descends(other)) {
            return this;
        }
        if (other.descends(this)) {
            return other;
        }
        TreeMap<String, Long> merged = new TreeMap<>(entries);
        other.entries.forEach((actor, counter) -> merged.merge(actor, counter, Math::max));
        return new VersionVector(merged);
    }

    /** This vector with {@code actor}'s counter set to {@code counter} (0 removes it). */
    public VersionVector with(String actor, long counter) {
        TreeMap<String, Long> copy = new TreeMap<>(entries);
        put(copy, actor, counter);
        return copy.isEmpty() ? EMPTY : new VersionVector(copy);
    }

    /** The counters, unmodifiable, sorted by actor. */
    public Map<String, Long> entries() {
        return entries;
    }

    private static void put(TreeMap<String, Long> map, String actor, Long counter) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(counter, "counter");
        if (actor.isEmpty()) {
            throw new IllegalArgumentException("a version vector's actor must not be empty");
        }
        if (counter < 0) {
            throw new IllegalArgumentException("counter of " + actor + " must not be negative, was " + counter);
        }
        if (counter == 0) {
            map.remove(actor);
        } else {
            map.put(actor, counter);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
