package dev.dynamo.node.transfer;

import dev.dynamo.core.membership.Claimant;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingChange;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.scheduling.Rounds;
import dev.dynamo.node.scheduling.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves data as the ring changes (DeCandia et al. 2007, section 4.9), one round per gossip interval:
 *
 * <ol>
 * <li>on the claimant, the next step of a membership change ({@link Claimant});
 * <li>a node that sees a next ring says so once every write it coordinates also goes to the
 * replicas the next ring adds, which is one quorum timeout after it first saw it (writes begun
 * before have then ended);
 * <li>once every member it deems reachable has said so, no acknowledged write can miss a new
 * replica any more except through the copy, so the node pulls each partition the next ring gives
 * it from a reachable current replica ({@link Transfers});
 * <li>with all of them here it says it is ready, and the claimant installs the next ring once
 * everyone is.
 * </ol>
 *
 * A node that leaves copies nothing: the others pull its partitions from it while it still serves.
 * Nothing is deleted when a node stops replicating a partition: dropping data safely needs a new
 * actor epoch (a node without a key's history could reissue its dots), left to later work.
 */
public final class OwnershipHandoff {

    private static final Logger log = LoggerFactory.getLogger(OwnershipHandoff.class);

    private final ClusterView cluster;
    private final Gossiper gossiper;
    private final Transfers transfers;
    private final FailureDetector detector;
    private final InstantSource clock;
    private final Rounds rounds;
    private final Duration writesSettle;
    private final int n;
    // touched only by rounds, which hold this object's lock
    private long sawVersion;
    private Instant sawAt;
    private long pullingFor;

    /**
     * @param writesSettle how long a write this node coordinates can take: the quorum timeout
     * @param n            the most replicas of any bucket: how many copies of each partition to keep
     */
    public OwnershipHandoff(ClusterView cluster, Gossiper gossiper, Transfers transfers, FailureDetector detector,
            Scheduler scheduler, InstantSource clock, Duration interval, Duration writesSettle, int n) {
        this.cluster = cluster;
        this.gossiper = gossiper;
        this.transfers = transfers;
        this.detector = detector;
        this.clock = clock;
        this.rounds = new Rounds("ring change", scheduler, interval, () -> {
            step();
            return CompletableFuture.completedFuture(null);
        });
        this.writesSettle = writesSettle;
        this.n = n;
    }

    public void start() {
        rounds.start();
    }

    /** Stops after the current round. */
    public void stop() {
        rounds.stop();
    }

    /** One round's work; see the class comment. */
    synchronized void step() {
        String self = cluster.self().id();
        MembershipView view = cluster.view();
        MembershipView claimed = Claimant.step(view, self, n);
        if (claimed != view) {
            view = gossiper.merge(claimed);
        }
        Optional<Ring> ring = view.ring();
        Optional<Ring> next = view.next();
        if (ring.isEmpty() || next.isEmpty() || !view.isActive(self)) {
            if (pullingFor != 0) { // the change this node copied for is over
                forgetFinished();
                pullingFor = 0;
            }
            return;
        }
        long version = next.get().version();
        if (!view.hasSeen(self, version)) {
            if (sawVersion != version) {
                sawVersion = version;
                sawAt = clock.instant();
            }
            if (Duration.between(sawAt, clock.instant()).compareTo(writesSettle) >= 0) {
                gossiper.merge(MembershipView.EMPTY.withSeen(self, version));
            }
            return;
        }
        if (view.isReady(self, version) || !everyoneSaw(view, ring.get(), next.get(), version)) {
            return;
        }
        if (pullingFor != version) {
            forgetFinished(); // copies made for an earlier next ring may since have missed writes
            pullingFor = version;
        }
        if (pull(new RingChange(ring.get(), next.get()).incoming(self, n))) {
            log.info("ring change to version {}: this node holds every partition it gains", version);
            gossiper.merge(MembershipView.EMPTY.withReady(self, version));
        }
    }

    /** Whether every active member of either ring that this node deems reachable has seen the next ring. */
    private boolean everyoneSaw(MembershipView view, Ring ring, Ring next, long version) {
        String self = cluster.self().id();
        return Stream.concat(ring.members().stream(), next.members().stream()).map(Member::id).distinct()
                .filter(id -> view.isActive(id) && (id.equals(self) || detector.isAvailable(id)))
                .allMatch(id -> view.hasSeen(id, version));
    }

    /** Starts or redirects the pull of every incoming partition; true once all are here. */
    private boolean pull(Map<Integer, List<Member>> incoming) {
        Map<Integer, TransferProgress> running = transfers.progress().stream()
                .collect(Collectors.toMap(TransferProgress::partition, Function.identity()));
        boolean all = true;
        for (Map.Entry<Integer, List<Member>> partition : incoming.entrySet()) {
            int p = partition.getKey();
            if (transfers.isComplete(p)) {
                continue;
            }
            all = false;
            Optional<Member> source = partition.getValue().stream().filter(m -> detector.isAvailable(m.id())).findFirst();
            if (source.isEmpty()) {
                continue; // every current replica is down: wait for one
            }
            TransferProgress current = running.get(p);
            if (current == null) {
                transfers.start(p, source.get());
            } else if (!detector.isAvailable(current.source()) && !current.source().equals(source.get().id())) {
                transfers.switchSource(p, source.get());
            }
        }
        return all;
    }

    private void forgetFinished() {
        transfers.progress().stream().filter(t -> PartitionTransfer.State.DONE.name().equals(t.state())).forEach(t -> transfers.forget(t.partition()));
    }
}
