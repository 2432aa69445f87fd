package dev.dynamo.node.membership;

import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.scheduling.Ticker;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A phi-accrual failure detector (Hayashibara et al. 2004) over the heartbeats gossip brings,
 * combined with what requests show at once.
 *
 * <p>A peer is unavailable when its phi (the suspicion its silence raises, given the intervals of
 * its heartbeats so far) reaches the threshold, or while it is backing off after a failed request:
 * a failure makes the peer skipped for a backoff that doubles with each consecutive failure up to a
 * ceiling, as Dynamo's own detector did (DeCandia et al. 2007, section 4.8.3); after it the next
 * real request probes the peer, and any reply clears the record. A peer never heard of is
 * available. A new incarnation (a later generation) starts a fresh window of intervals, so the
 * downtime between incarnations does not count as an interval.
 */
public final class PhiAccrualFailureDetector implements FailureDetector {

    /** Monotonic: a wall clock stepped forward would make every peer look silent for the step. */
    private final Ticker ticker;
    private final double deviations;
    private final long firstIntervalMillis;
    private final long marginMillis;
    private final long minStdDevMillis;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final ConcurrentHashMap<String, ArrivalWindow> arrivals = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Backoff> backoffs = new ConcurrentHashMap<>();

    private record Backoff(int failures, long until) {
    }

    /**
     * @param threshold phi at which a silent peer counts as unavailable (8: about one wrong suspicion
     *                  in 10^8 if intervals were truly normal)
     * @param heartbeat the interval at which peers raise their heartbeats (the gossip interval): the
     *                  first estimate of the interval between arrivals. Gossip relays heartbeats
     *                  through other nodes, so arrivals jitter by whole rounds: in simulations of 5
     *                  to 150 nodes the mean interval was 1.1 to 1.6 heartbeats with gaps up to 6.4.
     *                  So, as Akka's "acceptable heartbeat pause" does, a margin of two heartbeats is
     *                  added to the mean, and the standard deviation taken as at least one heartbeat:
     *                  then phi stayed below 4 in those simulations (up to 300 nodes), and a silent
     *                  peer is suspected after about 8 to 9 heartbeats at threshold 8.
     */
    public PhiAccrualFailureDetector(Ticker ticker, double threshold, Duration heartbeat, Duration initialBackoff,
            Duration maxBackoff) {
        this.ticker = ticker;
        this.deviations = ArrivalWindow.deviationsAt(threshold);
        this.firstIntervalMillis = heartbeat.toMillis();
        this.marginMillis = 2 * heartbeat.toMillis();
        this.minStdDevMillis = Math.max(1, heartbeat.toMillis());
        this.initialBackoffMillis = initialBackoff.toMillis();
        this.maxBackoffMillis = maxBackoff.toMillis();
    }

    @Override
    public boolean isAvailable(String id) {
        long now = millis();
        Backoff backoff = backoffs.get(id);
        ArrivalWindow window = arrivals.get(id);
        return (backoff == null || now >= backoff.until())
                && (window == null || !window.silentFor(now, marginMillis, minStdDevMillis, deviations));
    }

    /** The suspicion of {@code id} now; 0 for a peer never heard of. */
    public double phi(String id) {
        ArrivalWindow window = arrivals.get(id);
        return window == null ? 0 : window.phi(millis(), marginMillis, minStdDevMillis);
    }

    @Override
    public void succeeded(String id) {
        backoffs.remove(id);
        ArrivalWindow window = arrivals.get(id);
        if (window != null) {
            window.heardFrom(millis());
        }
    }

    @Override
    public void failed(String id) {
        backoffs.compute(id, (k, b) -> {
            int failures = b == null ? 1 : b.failures() + 1;
            long backoff = Math.min(maxBackoffMillis, initialBackoffMillis << Math.min(failures - 1, 20));
            return new Backoff(failures, millis() + backoff);
        });
    }

    @Override
    public void heartbeat(String id, long generation) {
        long now = millis();
        arrivals.compute(id, (k, window) -> {
            if (window == null || window.generation() != generation) {
                return new ArrivalWindow(generation, now, firstIntervalMillis);
            }
            window.arrived(now);
            return window;
        });
    }

    private long millis() {
        return ticker.nanos() / 1_000_000;
    }
}
