package dev.dynamo.node.antientropy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Anti-entropy.
 *
 * @param interval          the pause between two rounds of tree exchanges with the other replicas
 * @param maxKeysPerSecond  the rate budget: a round repairs at most this many keys per second of interval, the rest wait
 * @param treeDepth         levels below each partition tree's root: 16^depth leaves, 8 bytes each (plus their ancestors)
 * @param maxForegroundLatency admission control: while the recent p99 latency of answered client requests exceeds
 *                          this, a round stops before its next exchange or batch of keys and the next round tries
 *                          again (0 never defers); tombstone reaping yields alike
 * @param tombstoneGrace    a deleted key's tombstone is reaped only once its first replica has held it for this
 *                          (plus a request lifetime) and every replica holds it; hints a node has held for longer
 *                          are dropped rather than delivered. Both measured by each node's own monotonic clock.
 *                          Expired values are reaped alike, counted from when a sweep found them expired; a
 *                          partition is swept for them at most once per grace
 * @param reapBatch         the most tombstones (and expired values) of one partition a reaping round removes
 */
@ConfigurationProperties("dynamo.antientropy")
public record AntiEntropyProperties(@DefaultValue("30s") Duration interval,
        @DefaultValue("1000") int maxKeysPerSecond, @DefaultValue("2") int treeDepth,
        @DefaultValue("50ms") Duration maxForegroundLatency, @DefaultValue("1h") Duration tombstoneGrace,
        @DefaultValue("500") int reapBatch) {

    public AntiEntropyProperties {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("dynamo.antientropy.interval must be positive, got " + interval);
        }
        if (maxKeysPerSecond < 1) {
            throw new IllegalArgumentException("dynamo.antientropy.max-keys-per-second must be at least 1, got "
                    + maxKeysPerSecond);
        }
        if (treeDepth < 1 || treeDepth > 4) {
            throw new IllegalArgumentException("dynamo.antientropy.tree-depth must be between 1 and 4, got " + treeDepth);
        }
        if (maxForegroundLatency.isNegative()) {
            throw new IllegalArgumentException("dynamo.antientropy.max-foreground-latency must not be negative, got "
                    + maxForegroundLatency);
        }
        if (tombstoneGrace.isNegative()) {
            throw new IllegalArgumentException("dynamo.antientropy.tombstone-grace must not be negative, got "
                    + tombstoneGrace);
        }
        if (reapBatch < 1) {
            throw new IllegalArgumentException("dynamo.antientropy.reap-batch must be at least 1, got " + reapBatch);
        }
    }
}
