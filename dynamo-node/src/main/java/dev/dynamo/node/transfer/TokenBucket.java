package dev.dynamo.node.transfer;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Bounds a byte rate on an injected clock. A transfer takes the bytes of each batch once it has
 * received them, which may leave the bucket in debt by about one batch, and asks for its next batch
 * only when the debt is repaid: so the average stays within the rate without knowing a batch's size
 * in advance. The bucket refills at the rate up to one second's worth, the most an idle spell lets
 * through at once. Thread-safe; shared by all of a node's transfers.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double bytesPerSecond;
    private final InstantSource clock;
    private double tokens;
    private Instant refilled;

    TokenBucket(long bytesPerSecond, InstantSource clock) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("a rate must be at least 1 byte per second, got " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.clock = clock;
        this.refilled = clock.instant();
    }

    /** How long until the debt is repaid; zero when the next batch may be asked for now. */
    synchronized Duration delay() {
        refill();
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / bytesPerSecond * NANOS_PER_SECOND));
    }

    /** Takes {@code bytes} that were received. */
    synchronized void take(long bytes) {
        refill();
        tokens -= bytes;
    }

    private void refill() {
        Instant now = clock.instant();
        long nanos = Duration.between(refilled, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(bytesPerSecond, tokens + nanos * bytesPerSecond / NANOS_PER_SECOND);
            refilled = now;
        }
    }
}
