package dev.dynamo.core.version;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The replicated state of one key: a causal clock plus the concurrent siblings (tombstones
 * included). Immutable. This is the "clock + dotted siblings" form of dotted version vectors
 * (Almeida et al. 2014, section 6): one vector for the key, one dot per sibling.
 */
public final class VersionedValue {

    private static final VersionedValue EMPTY = new VersionedValue(VersionVector.empty(), List.of());

    /** The last-write-wins order; the dot breaks timestamp ties so every replica picks the same write. */
    private static final Comparator<Sibling> NEWEST =
            Comparator.comparingLong((Sibling s) -> s.content().timestamp()).thenComparing(Sibling::dot);

    private final VersionVector clock;
    private final List<Sibling> siblings;

    private VersionedValue(VersionVector clock, List<Sibling> siblings) {
        this.clock = clock;
        this.siblings = siblings;
    }

    /** The state of a key never written. */
    public static VersionedValue empty() {
        return EMPTY;
    }

    /** A state as stored, checked: siblings in dot order, each one covered by the clock. */
    static VersionedValue of(VersionVector clock, List<Sibling> siblings) {
        for (int i = 0; i < siblings.size(); i++) {
            Dot dot = siblings.get(i).dot();
            if (i > 0 && siblings.get(i - 1).dot().compareTo(dot) >= 0) {
                throw new IllegalArgumentException("siblings are out of order or repeated at " + dot);
            }
            if (!clock.covers(dot)) {
                throw new IllegalArgumentException("sibling " + dot + " is not covered by clock " + clock);
            }
        }
        return new VersionedValue(clock, List.copyOf(siblings));
    }

    /** Everything this state has seen; this is the causal context handed to clients. */
    public VersionVector clock() {
        return clock;
    }

    /** All siblings, tombstones included, ordered by actor then counter. */
    public List<Sibling> siblings() {
        return siblings;
    }

    /** The siblings that are not tombstones. */
    public List<Sibling> live() {
        return siblings.stream().filter(s -> !s.content().tombstone()).toList();
    }

    /** Whether no live sibling is left: never written, or only tombstones. */
    public boolean isAbsent() {
        return siblings.stream().allMatch(s -> s.content().tombstone());
    }

    /** Whether this is a deleted key's state: at least one sibling, every one a tombstone. */
    public boolean isTombstoned() {
        return !siblings.isEmpty() && isAbsent();
    }

    /**
     * The first wall-clock millisecond from which nothing of this state is live: 0 for tombstones only, the
     * latest expiry when every live sibling expires, {@link Long#MAX_VALUE} when some sibling never
     * expires or there is no sibling. Such a state may be reaped once every replica holds it.
     */
    public long goneAt() {
        if (siblings.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long gone = 0;
        for (Sibling s : siblings) {
            if (!s.content().tombstone()) {
                if (s.content().expiresAt() == Content.NEVER) {
                    return Long.MAX_VALUE;
                }
                gone = Math.max(gone, s.content().expiresAt());
            }
        }
        return gone;
    }

    /** Whether some live sibling carries an expiry that has passed at {@code now}. */
    public boolean hasExpired(long now) {
        return siblings.stream().anyMatch(s -> !s.content().tombstone() && s.content().expired(now));
    }

    /** The newest timestamp of any sibling, tombstones included; empty when there is no sibling. */
    public OptionalLong newestTimestamp() {
        return siblings.stream().mapToLong(s -> s.content().timestamp()).max();
    }

    /**
     * A coordinator's write by {@code actor} that has seen {@code context}. Siblings the context
     * covers were seen by the writer and are replaced; the others are concurrent and stay. The
     * context joins the clock so that a sibling the writer superseded, still held by another
     * replica, cannot come back on a later merge. Under {@link ConflictPolicy#LWW} the write also
     * replaces every sibling here older than it ({@link #NEWEST}): a concurrent sibling with a newer
     * timestamp stays, and {@link #resolved} shows it instead.
     */
    public VersionedValue put(VersionVector context, String actor, Content content, ConflictPolicy policy) {
        return put(context, actor, 0, content, policy);
    }

    /**
     * As {@link #put(VersionVector, String, Content, ConflictPolicy)}, with a new dot whose counter is
     * also above {@code floor}: the highest counter {@code actor} issued in states since removed from
     * this replica (reaped tombstones), which another replica may still hold. The floor raises the
     * counter only, never the context, so it supersedes no sibling the writer has not seen.
     */
    public VersionedValue put(VersionVector context, String actor, long floor, Content content,
            ConflictPolicy policy) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(policy, "policy");
        long counter = Math.addExact(Math.max(floor, Math.max(clock.get(actor), context.get(actor))), 1);
        Sibling written = new Sibling(new Dot(actor, counter), content);
        VersionVector newClock = clock.merge(context).with(actor, counter);
        List<Sibling> kept = new ArrayList<>(siblings.size() + 1);
        for (Sibling s : siblings) {
            boolean older = policy == ConflictPolicy.LWW && NEWEST.compare(s, written) < 0;
            if (!context.covers(s.dot()) && !older) {
                kept.add(s);
            }
        }
        kept.add(written);
        // The new dot is above every dot of its actor here, but other actors may sort after it.
        kept.sort(Comparator.comparing(Sibling::dot));
        return new VersionedValue(newClock, List.copyOf(kept));
    }

    /**
     * What a reader is shown: under {@link ConflictPolicy#SIBLINGS} every sibling; under {@link
     * ConflictPolicy#LWW} the newest only ({@link #NEWEST}; absent when that is a tombstone), with the
     * whole clock, so that a write with this context replaces them all.
     */
    public VersionedValue resolved(ConflictPolicy policy) {
        if (policy == ConflictPolicy.SIBLINGS || siblings.size() < 2) {
            return this;
        }
        return new VersionedValue(clock, List.of(siblings.stream().max(NEWEST).orElseThrow()));
    }

    /**
     * What a reader is shown at wall-clock millisecond {@code now}: the siblings that have expired are
     * left out, the clock kept whole, so that a write with this context supersedes them too. Apply it
     * after {@link #resolved}: under last-write-wins an expired newest write hides the older ones, as a
     * delete would.
     */
    public VersionedValue unexpired(long now) {
        if (siblings.stream().noneMatch(s -> s.content().expired(now))) {
            return this;
        }
        return new VersionedValue(clock, siblings.stream().filter(s -> !s.content().expired(now)).toList());
    }

    /**
     * Anti-entropy / replication sync of two replicas' states: commutative, associative, idempotent.
     * A sibling survives when the other side holds it too or has not seen it; one the other side has
     * seen but no longer holds was superseded there (Almeida et al. 2014, section 6). The same under
     * either policy: last-write-wins picks among the concurrent survivors only when read ({@link
     * #resolved}), for dropping the older of two concurrent siblings here would lose the one that has to
     * win once a causally later write replaces the newer (a merge that dropped it would not be associative).
     */
    public VersionedValue merge(VersionedValue other, ConflictPolicy policy) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(policy, "policy");
        VersionVector merged = clock.merge(other.clock);
        List<Sibling> kept = new ArrayList<>(siblings.size() + other.siblings.size());
        int i = 0;
        int j = 0;
        while (i < siblings.size() || j < other.siblings.size()) {
            Sibling mine = i < siblings.size() ? siblings.get(i) : null;
            Sibling theirs = j < other.siblings.size() ? other.siblings.get(j) : null;
            int order = mine == null ? 1 : theirs == null ? -1 : mine.dot().compareTo(theirs.dot());
            if (order == 0) {
                kept.add(mine); // the same dot is the same write
                i++;
                j++;
            } else if (order < 0) {
                if (!other.clock.covers(mine.dot())) {
                    kept.add(mine);
                }
                i++;
            } else {
                if (!clock.covers(theirs.dot())) {
                    kept.add(theirs);
                }
                j++;
            }
        }
        return new VersionedValue(merged, List.copyOf(kept));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedValue other && clock.equals(other.clock) && siblings.equals(other.siblings);
    }

    @Override
    public int hashCode() {
        return 31 * clock.hashCode() + siblings.hashCode();
    }

    @Override
    public String toString() {
        return "VersionedValue[clock=" + clock + ", siblings=" + siblings + "]";
    }
}
