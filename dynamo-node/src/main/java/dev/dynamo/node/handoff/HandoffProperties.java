package dev.dynamo.node.handoff;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Hinted handoff.
 *
 * @param interval the pause between two rounds of hint delivery
 * @param batch    the most hints sent to one owner in a round
 */
@ConfigurationProperties("dynamo.handoff")
public record HandoffProperties(@DefaultValue("1s") Duration interval, @DefaultValue("256") int batch) {

    public HandoffProperties {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("dynamo.handoff.interval must be positive, got " + interval);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("dynamo.handoff.batch must be at least 1, got " + batch);
        }
    }
}
