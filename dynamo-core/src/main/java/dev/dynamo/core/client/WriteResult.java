package dev.dynamo.core.client;

import java.util.Objects;

/**
 * A write reached its quorum. {@code context} covers it (read-your-write without a read); {@code
 * siblings} is how many values the key held at the coordinator right after it: more than one means
 * another write was concurrent with this one, and a later read will return both.
 */
public record WriteResult(CausalContext context, int siblings) {

    public WriteResult {
        Objects.requireNonNull(context, "context");
    }

    /** Whether another write was concurrent with this one. */
    public boolean concurrent() {
        return siblings > 1;
    }
}
