package dev.dynamo.node.bucket;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many replicas keep each key and how many must answer.
 *
 * @param defaults N, R and W for buckets not named under {@code buckets}
 * @param buckets  per-bucket settings, by bucket name
 */
@ConfigurationProperties("dynamo")
public record ReplicationProperties(@DefaultValue Quorum defaults, Map<String, Bucket> buckets) {

    /**
     * Replication factor and quorums.
     *
     * @param n replicas of each key
     * @param r replicas that must answer a read
     * @param w replicas that must acknowledge a write
     * @param timeout how long a request waits for its quorum before it fails with 503
     * @param readSparesAfter a read asks R replicas; when their answers are not all in after this, it asks
     *                        the rest of the key's replicas too (0: every replica at once)
     */
    public record Quorum(@DefaultValue("3") int n, @DefaultValue("2") int r, @DefaultValue("2") int w,
            @DefaultValue("2s") Duration timeout, @DefaultValue("20ms") Duration readSparesAfter) {

        public Quorum {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("dynamo.defaults.timeout must be positive, got " + timeout);
            }
            if (readSparesAfter.isNegative()) {
                throw new IllegalArgumentException("dynamo.defaults.read-spares-after must not be negative, got "
                        + readSparesAfter);
            }
        }
    }

    /**
     * One bucket's settings; unset values fall back to {@code dynamo.defaults}.
     *
     * @param n        replicas of each key
     * @param r        replicas that must answer a read
     * @param w        replicas that must acknowledge a write
     * @param conflict {@code siblings} (default): concurrent writes are all kept; {@code lww}: the
     *                 newest write by timestamp wins
     * @param ttl      how long a value written without a TTL of its own lives before readers stop seeing
     *                 it (none: until deleted)
     */
    public record Bucket(Integer n, Integer r, Integer w, @DefaultValue("siblings") String conflict, Duration ttl) {
    }
}
