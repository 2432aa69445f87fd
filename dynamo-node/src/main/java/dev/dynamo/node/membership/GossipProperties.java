package dev.dynamo.node.membership;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How membership and liveness spread.
 *
 * @param interval     how often this node raises its heartbeat and gossips with one peer
 * @param seedEvery    every this many rounds the peer is a seed rather than a random live member, so that
 *                     logical partitions heal; a node that knows no live member always gossips with a seed
 * @param phiThreshold the suspicion (phi) at which a peer whose heartbeats stopped counts as unreachable;
 *                     higher waits longer before suspecting
 */
@ConfigurationProperties("dynamo.gossip")
public record GossipProperties(@DefaultValue("1s") Duration interval, @DefaultValue("10") int seedEvery,
        @DefaultValue("8") double phiThreshold) {

    /** Refuses settings gossip cannot work with, naming the property. */
    public GossipProperties {
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException("dynamo.gossip.interval must be at least 1ms, got " + interval);
        }
        if (seedEvery < 1) {
            throw new IllegalArgumentException("dynamo.gossip.seed-every must be at least 1, got " + seedEvery);
        }
        if (!(phiThreshold > 0)) {
            throw new IllegalArgumentException("dynamo.gossip.phi-threshold must be positive, got " + phiThreshold);
        }
    }
}
