package dev.dynamo.node.handoff;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.peer.PeerCalls;
import java.time.Duration;
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
 * <p>A hint this node has held for longer than the tombstone grace is dropped, not delivered: it may
 * predate a delete whose tombstone has been reaped since, and would bring the key back. Its age is
 * how long it has been here, on this node's monotonic clock ({@link HintStore#heldLongerThan}), not
 * its writes' timestamps, which other nodes' wall clocks stamped: a clock set apart or stepping cannot
 * make a hint outlive the grace. The hints found after a restart are of unknown age and are dropped.
 * The reaper takes a tombstone only once its first replica has held it for the grace plus a request
 * lifetime, by which time the hints of what it deleted have expired. Dropping a hint loses no
 * acknowledged write: a write's coordinator is always a primary that holds it durably, and
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
    private final DynamoMetrics metrics;

    /** @param grace the tombstone grace: hints held here for longer are dropped */
    public HintDeliveryJob(HintStore hints, ClusterView cluster, PeerCalls peers, FailureDetector detector,
            int batch, Duration grace, DynamoMetrics metrics) {
        this.hints = hints;
        this.cluster = cluster;
        this.peers = peers;
        this.detector = detector;
        this.batch = batch;
        this.grace = grace;
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
            for (HintStore.Hint hint : hints.forOwner(owner, batch)) {
                sends.add(hints.heldLongerThan(hint, grace) ? drop(hint) : deliver(member.get(), hint));
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
