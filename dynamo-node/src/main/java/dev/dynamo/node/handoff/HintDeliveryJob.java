package dev.dynamo.node.handoff;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.peer.PeerCalls;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers hints to their owners. Every round it takes a batch of each owner's hints, sends them to
 * the owner if the failure detector deems it reachable, and deletes each hint once the owner
 * acknowledged it (unless it grew meanwhile). A failed send makes the detector skip the owner for a
 * while. Rounds never overlap: the next is scheduled when one ends.
 *
 * <p>A hint whose newest write is older than the tombstone grace is dropped, not delivered: it may
 * predate a delete whose tombstone has been reaped since, and would bring the key back. Dropping it
 * loses no acknowledged write: a write's coordinator is always a primary that holds it durably, and
 * anti-entropy carries it from there to the other replicas.
 */
public final class HintDeliveryJob {

    private static final Logger log = LoggerFactory.getLogger(HintDeliveryJob.class);

    private final HintStore hints;
    private final ClusterView cluster;
    private final PeerCalls peers;
    private final FailureDetector detector;
    private final int batch;
    private final Duration grace;
    private final InstantSource clock;
    private final DynamoMetrics metrics;

    /** @param grace the tombstone grace: older hints are dropped */
    public HintDeliveryJob(HintStore hints, ClusterView cluster, PeerCalls peers, FailureDetector detector,
            int batch, Duration grace, InstantSource clock, DynamoMetrics metrics) {
        this.hints = hints;
        this.cluster = cluster;
        this.peers = peers;
        this.detector = detector;
        this.batch = batch;
        this.grace = grace;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** One round: delivers a batch per reachable owner; completes when every send has settled. */
    public CompletableFuture<Void> deliverOnce() {
        Optional<Ring> ring = cluster.ring();
        if (ring.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (String owner : hints.owners()) {
            // an owner joining the ring is in the next one: it takes writes before it is a member
            Optional<Member> member = Stream.concat(ring.get().members().stream(),
                    cluster.view().next().stream().flatMap(next -> next.members().stream()))
                    .filter(m -> m.id().equals(owner)).findFirst();
            if (member.isEmpty() || !detector.isAvailable(owner)) {
                continue; // an owner no longer in the ring keeps its hints until membership decides (issue 4)
            }
            long cutoff = clock.millis() - grace.toMillis();
            for (HintStore.Hint hint : hints.forOwner(owner, batch)) {
                boolean expired = hint.value().newestTimestamp().orElse(Long.MAX_VALUE) < cutoff;
                sends.add(expired ? drop(hint) : deliver(member.get(), hint));
            }
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).exceptionally(error -> null);
    }

    private CompletableFuture<?> drop(HintStore.Hint hint) {
        return hints.remove(hint.owner(), hint.key(), hint.value()).thenAccept(removed -> {
            if (removed) {
                metrics.hintExpired();
            }
        });
    }

    private CompletableFuture<?> deliver(Member owner, HintStore.Hint hint) {
        return peers.write(owner, hint.key(), hint.value(), null, PeerCalls.UNCOUNTED)
                .thenCompose(ack -> hints.remove(owner.id(), hint.key(), hint.value()))
                .whenComplete((removed, error) -> {
                    if (error != null) {
                        log.debug("hint for {} of {} not delivered: {}", owner.id(), hint.key(), error.toString());
                    } else {
                        metrics.hintDelivered();
                    }
                });
    }
}
