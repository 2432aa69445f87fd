package dev.dynamo.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters, one place for their names, tags and descriptions. Components receive this
 * object and say what happened; they never touch the registry. Every meter is registered up front,
 * so each series is exported (at zero) before its first event.
 *
 * <p>Request latency is a timer per operation and outcome with client-side percentiles p50, p99 and
 * p99.9 over a sliding window, and no histogram buckets: the percentiles are what operators read,
 * and buckets would add dozens of series per timer.
 */
public final class DynamoMetrics {

    /** A client request, as the node that received it runs it. */
    public enum Operation { GET, PUT, DELETE }

    /** How a client request ended. */
    public enum Outcome {
        /** Answered, a 404 included. */
        SUCCESS,
        /** Fewer than R or W replicas answered in time. */
        QUORUM_FAILED,
        /** The cluster is forming or no replica of the key is reachable. */
        UNAVAILABLE,
        /** Anything else, such as a full store. */
        ERROR
    }

    private final MeterRegistry registry;
    private final Map<Operation, Map<Outcome, Timer>> requests = new EnumMap<>(Operation.class);
    private final Map<Operation, Counter> quorumFailures = new EnumMap<>(Operation.class);
    private final Counter siblingsReturned;
    private final Counter hintsStored;
    private final Counter hintsDelivered;
    private final Counter readRepairs;
    private final Counter readSpares;
    private final Counter conditionsFailed;
    private final Counter exchanges;
    private final Counter keysRepaired;
    private final Counter exchangeBytes;
    private final Counter treeBuilds;
    private final Counter leafResets;
    private final Counter antiEntropyDeferred;
    private final Counter tombstonesReaped;
    private final Counter expiredReaped;
    private final Counter bytesReaped;
    private final Counter hintsExpired;

    public DynamoMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Operation operation : Operation.values()) {
            Map<Outcome, Timer> timers = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                timers.put(outcome, Timer.builder("dynamo.requests")
                        .description("Client requests from arrival at the coordinator to the answer")
                        .tag("operation", tag(operation)).tag("outcome", tag(outcome))
                        .publishPercentiles(0.5, 0.99, 0.999).publishPercentileHistogram(false)
                        .register(registry));
            }
            requests.put(operation, timers);
            quorumFailures.put(operation, Counter.builder("dynamo.quorum.failures")
                    .description("Client requests that fewer than R or W replicas answered in time")
                    .tag("operation", tag(operation)).register(registry));
        }
        siblingsReturned = counter("dynamo.siblings.returned", "Reads answered with more than one sibling");
        hintsStored = counter("dynamo.hints.stored", "Writes kept here as hints for a replica that did not take them");
        hintsDelivered = counter("dynamo.hints.delivered", "Hints this node handed to their owner");
        readRepairs = counter("dynamo.read.repairs", "Merged states sent to replicas that answered a read with less");
        readSpares = counter("dynamo.read.spares",
                "Replicas a read asked beyond its first R, because one of those failed or was late");
        conditionsFailed = counter("dynamo.conditional.failed",
                "Conditional writes refused because their condition did not hold at the read quorum");
        exchanges = counter("dynamo.antientropy.exchanges", "Anti-entropy tree exchanges of a partition with a replica");
        keysRepaired = counter("dynamo.antientropy.keys.repaired", "Keys anti-entropy found to differ and merged");
        exchangeBytes = counter("dynamo.antientropy.bytes", "Bytes of anti-entropy requests and replies, both ways");
        treeBuilds = counter("dynamo.antientropy.tree.builds", "Partition hash trees built from storage");
        leafResets = counter("dynamo.antientropy.leaf.resets", "Tree leaves found to disagree with storage and reset");
        antiEntropyDeferred = counter("dynamo.antientropy.deferred",
                "Anti-entropy rounds cut short because client requests were slow");
        tombstonesReaped = counter("dynamo.tombstones.reaped",
                "Tombstones removed here once every replica held them and the grace had passed");
        expiredReaped = counter("dynamo.expired.reaped",
                "Expired values removed here once every replica held them and the grace had passed");
        bytesReaped = counter("dynamo.reaped.bytes",
                "Bytes of stored state reaped here: tombstones and expired values");
        hintsExpired = counter("dynamo.hints.expired",
                "Hints dropped undelivered because they were held here for longer than the tombstone grace");
    }

    /** Starts timing a client request; hand the sample to {@link #requestEnded}. */
    public Timer.Sample requestStarted() {
        return Timer.start(registry);
    }

    /** Records a client request's latency under its outcome; a quorum failure is also counted apart. */
    public void requestEnded(Timer.Sample started, Operation operation, Outcome outcome) {
        started.stop(requests.get(operation).get(outcome));
        if (outcome == Outcome.QUORUM_FAILED) {
            quorumFailures.get(operation).increment();
        }
    }

    /**
     * The highest p99 latency of any operation's answered client requests over the timers' sliding
     * window (about the last two minutes, on the registry's clock); zero when there were none.
     */
    public Duration recentRequestLatency() {
        double nanos = 0;
        for (Map<Outcome, Timer> timers : requests.values()) {
            for (ValueAtPercentile value : timers.get(Outcome.SUCCESS).takeSnapshot().percentileValues()) {
                if (value.percentile() == 0.99) {
                    nanos = Math.max(nanos, value.value(TimeUnit.NANOSECONDS));
                }
            }
        }
        return Duration.ofNanos((long) nanos);
    }

    /**
     * One operation's client requests since start: how many, how many did not succeed, and the
     * latency percentiles of the successful ones over the timers' sliding window, in milliseconds.
     */
    public record RequestStats(String operation, long count, long failed, double p50Millis, double p99Millis,
            double p999Millis) {
    }

    /** The request figures of each operation, for the admin console. */
    public List<RequestStats> requestStats() {
        List<RequestStats> stats = new ArrayList<>();
        for (Map.Entry<Operation, Map<Outcome, Timer>> operation : requests.entrySet()) {
            long count = 0;
            for (Timer timer : operation.getValue().values()) {
                count += timer.count();
            }
            Timer succeeded = operation.getValue().get(Outcome.SUCCESS);
            Map<Double, Double> millis = new HashMap<>();
            for (ValueAtPercentile value : succeeded.takeSnapshot().percentileValues()) {
                millis.put(value.percentile(), value.value(TimeUnit.MILLISECONDS));
            }
            stats.add(new RequestStats(tag(operation.getKey()), count, count - succeeded.count(),
                    millis.getOrDefault(0.5, 0.0), millis.getOrDefault(0.99, 0.0), millis.getOrDefault(0.999, 0.0)));
        }
        return stats;
    }

    /** A read was answered with more than one sibling. */
    public void siblingsReturned() {
        siblingsReturned.increment();
    }

    /** A write was kept as a hint for another node. */
    public void hintStored() {
        hintsStored.increment();
    }

    /** A hint reached its owner. */
    public void hintDelivered() {
        hintsDelivered.increment();
    }

    /** A read repair was sent to a replica. */
    public void readRepairSent() {
        readRepairs.increment();
    }

    /** A read asked a replica beyond its first R. */
    public void readSpareAsked() {
        readSpares.increment();
    }

    /** A conditional write was refused: its condition did not hold. */
    public void conditionFailed() {
        conditionsFailed.increment();
    }

    /** An anti-entropy exchange of one partition with one replica ended. */
    public void exchanged() {
        exchanges.increment();
    }

    /** Anti-entropy merged a key that differed between two replicas. */
    public void keyRepaired() {
        keysRepaired.increment();
    }

    /** Anti-entropy sent or received {@code bytes}. */
    public void exchangeBytes(long bytes) {
        exchangeBytes.increment(bytes);
    }

    /** A partition's hash tree was built from storage. */
    public void treeBuilt() {
        treeBuilds.increment();
    }

    /** An anti-entropy round yielded to slow client requests. */
    public void antiEntropyDeferred() {
        antiEntropyDeferred.increment();
    }

    /** A tree leaf was found to disagree with storage and reset. */
    public void leafReset() {
        leafResets.increment();
    }

    /** Dead states were removed here: {@code count} in all, {@code expired} of them expired values, {@code bytes} as stored. */
    public void reaped(int count, int expired, long bytes) {
        tombstonesReaped.increment(count - expired);
        expiredReaped.increment(expired);
        bytesReaped.increment(bytes);
    }

    /** A hint was dropped as held for longer than the tombstone grace. */
    public void hintExpired() {
        hintsExpired.increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
