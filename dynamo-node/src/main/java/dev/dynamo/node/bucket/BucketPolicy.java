package dev.dynamo.node.bucket;

import dev.dynamo.core.version.ConflictPolicy;
import java.time.Duration;

/**
 * The settings that apply to one bucket: replication, conflict handling, and {@code ttl}, how long a
 * value written without a TTL of its own lives (null: until deleted).
 */
public record BucketPolicy(int n, int r, int w, ConflictPolicy conflict, Duration ttl) {

    public BucketPolicy {
        if (n < 1 || r < 1 || r > n || w < 1 || w > n) {
            throw new IllegalArgumentException("need 1 <= r <= n and 1 <= w <= n, got n=" + n + " r=" + r + " w=" + w);
        }
        if (ttl != null && !ttl.isPositive()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
    }

    /** Settings whose values do not expire. */
    public BucketPolicy(int n, int r, int w, ConflictPolicy conflict) {
        this(n, r, w, conflict, null);
    }

    /** @throws IllegalArgumentException saying why, when {@code quorum} is not between 1 and N */
    public int requireQuorum(String name, int quorum) {
        if (quorum < 1 || quorum > n) {
            throw new IllegalArgumentException(name + " must be an integer from 1 to " + n + " (the bucket's n)");
        }
        return quorum;
    }
}
