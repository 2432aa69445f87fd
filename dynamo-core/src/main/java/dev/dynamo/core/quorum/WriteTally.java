package dev.dynamo.core.quorum;

import java.util.HashSet;
import java.util.Set;

/**
 * Counts the acknowledgements of one write against its W. The coordinator reports each replica it
 * sends to ({@link #sent}), and each acknowledgement or failure; a replacement for a failed replica
 * (a sloppy-quorum stand-in) must be reported as sent before the failure it replaces, so the tally
 * never gives up while a replacement is still on its way.
 */
public final class WriteTally {

    private final int w;
    private final Set<String> pending = new HashSet<>();
    private final Set<String> acknowledged = new HashSet<>();

    /** A tally needing {@code w} acknowledgements. */
    public WriteTally(int w) {
        if (w < 1) {
            throw new IllegalArgumentException("w must be at least 1, got " + w);
        }
        this.w = w;
    }

    /** A write went to {@code replica}. */
    public void sent(String replica) {
        if (!acknowledged.contains(replica)) {
            pending.add(replica);
        }
    }

    /** {@code replica} made the write durable; repeated acknowledgements count once. */
    public void acknowledged(String replica) {
        pending.remove(replica);
        acknowledged.add(replica);
    }

    /** {@code replica} did not make the write durable (error, timeout, unreachable). */
    public void failed(String replica) {
        pending.remove(replica);
    }

    /** How many distinct replicas acknowledged. */
    public int acknowledgements() {
        return acknowledged.size();
    }

    /** The W this tally needs. */
    public int required() {
        return w;
    }

    /** Succeeded once W replicas acknowledged; failed once the pending ones cannot make up the rest. */
    public Outcome outcome() {
        if (acknowledged.size() >= w) {
            return Outcome.SUCCEEDED;
        }
        return acknowledged.size() + pending.size() >= w ? Outcome.PENDING : Outcome.FAILED;
    }

    /** Whether no replica is still pending. */
    public boolean settled() {
        return pending.isEmpty();
    }
}
