package dev.dynamo.node.transfer;

import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Partition transfers: how fast and how many at once a node pulls partitions it is given, and when
 * they yield to client requests.
 *
 * @param maxBytesPerSecond the most bytes of keys and values a node receives per second, over all its transfers
 * @param concurrency       the most partitions a node pulls at once; the others wait their turn
 * @param batchKeys         the most entries asked for in one request
 * @param batchBytes        the most bytes of keys and values asked for in one request (one entry may exceed it);
 *                          keep it well under dynamo.transport.max-frame-size
 * @param retryBackoff      the pause before retrying a transfer whose source failed (it doubles on each failure),
 *                          and before a transfer that yielded to client requests asks for its next batch again
 * @param maxRetryBackoff   the longest pause between two retries
 * @param maxForegroundLatency admission control: while the recent p99 latency of answered client requests exceeds
 *                          this, transfers pause before their next batch (0 never pauses)
 * @param maxYield          the longest a transfer pauses for slow client requests before it moves one batch anyway,
 *                          so that a ring change on a cluster that stays busy still completes
 */
@ConfigurationProperties("dynamo.transfer")
public record TransferProperties(
        @DefaultValue("10MB") DataSize maxBytesPerSecond,
        @DefaultValue("2") int concurrency,
        @DefaultValue("512") int batchKeys,
        @DefaultValue("1MB") DataSize batchBytes,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue("30s") Duration maxRetryBackoff,
        @DefaultValue("50ms") Duration maxForegroundLatency,
        @DefaultValue("30s") Duration maxYield) {

    /** Refuses settings transfers cannot work with, naming the property. */
    public TransferProperties {
        requirePositive(maxBytesPerSecond, "max-bytes-per-second");
        requirePositive(batchBytes, "batch-bytes");
        if (batchBytes.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dynamo.transfer.batch-bytes must be under 2GB, got " + batchBytes);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("dynamo.transfer.concurrency must be at least 1, got " + concurrency);
        }
        if (batchKeys < 1) {
            throw new IllegalArgumentException("dynamo.transfer.batch-keys must be at least 1, got " + batchKeys);
        }
        requirePositive(retryBackoff, "retry-backoff");
        requirePositive(maxRetryBackoff, "max-retry-backoff");
        requirePositive(maxYield, "max-yield");
        Objects.requireNonNull(maxForegroundLatency, "dynamo.transfer.max-foreground-latency is required");
        if (maxForegroundLatency.isNegative()) {
            throw new IllegalArgumentException("dynamo.transfer.max-foreground-latency must not be negative, got "
                    + maxForegroundLatency);
        }
    }

    private static void requirePositive(DataSize value, String name) {
        Objects.requireNonNull(value, () -> "dynamo.transfer." + name + " is required");
        if (value.toBytes() <= 0) {
            throw new IllegalArgumentException("dynamo.transfer." + name + " must be positive, got " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, () -> "dynamo.transfer." + name + " is required");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("dynamo.transfer." + name + " must be positive, got " + value);
        }
    }
}
