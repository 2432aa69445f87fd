package dev.dynamo.node.truncation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bucket truncation.
 *
 * @param keysPerSecond        the most keys a truncation deletes per second
 * @param maxForegroundLatency admission control: while the recent p99 latency of answered client requests exceeds
 *                             this, a truncation pauses (0 never pauses)
 */
@ConfigurationProperties("dynamo.truncate")
public record TruncationProperties(@DefaultValue("1000") int keysPerSecond,
        @DefaultValue("50ms") Duration maxForegroundLatency) {

    public TruncationProperties {
        if (keysPerSecond < 1) {
            throw new IllegalArgumentException("dynamo.truncate.keys-per-second must be at least 1, got " + keysPerSecond);
        }
        if (maxForegroundLatency.isNegative()) {
            throw new IllegalArgumentException("dynamo.truncate.max-foreground-latency must not be negative, got "
                    + maxForegroundLatency);
        }
    }
}
