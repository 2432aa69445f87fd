package dev.dynamo.node.antientropy;

import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message.TombstoneCheck;
import dev.dynamo.core.wire.Message.TombstoneReap;
import dev.dynamo.core.wire.Message.TombstonesHeld;
import dev.dynamo.core.wire.Message.TombstonesReaped;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.VersionedStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes tombstones, and values that have expired, once every replica holds them and the grace has
 * passed, so deleted and expired keys do not use space for ever, without letting a stale replica bring a
 * reaped key back. (Below, "tombstones" covers both: a dead state, see {@link TombstoneIndex}.)
 *
 * <p>Every round, for each partition whose first replica (current ring, the largest N of any bucket)
 * is this node and that no ring change is moving, it takes a batch of the keys it has held as
 * tombstones only, unchanged, for at least the grace plus the transport's request lifetime, and reaps
 * them in two phases. How long is measured here, on this node's monotonic clock (see {@link
 * TombstoneIndex}), never from the tombstones' timestamps, which other nodes' wall clocks stamped: so
 * clocks set apart or stepping cannot shorten the grace. The hints of the values a tombstone deleted
 * were stored before it reached this node, or were in flight then and stored within a request
 * lifetime; each expires a grace after it was stored (see {@code HintDeliveryJob}), so by the time a
 * key is taken, none can still be delivered. {@link
 * State#CHECKING}: every other replica says which of them it holds in exactly the same state (the
 * same {@link VersionHash}); a replica that does not answer confirms nothing. {@link State#SETTLING}:
 * it waits out the transport's request lifetime, so that every request sent before the check, a replica
 * write of the value the tombstone deleted among them, has either arrived (where the tombstone already
 * covers it) or will be refused as too old; reaped before it arrived, it would bring the value back.
 * {@link State#REAPING}: the keys every replica confirmed, and whose entry in the index has not changed
 * since they were taken (a change the store made visible just before it reported it is caught here), are
 * removed there and here, each only if its state is still that tombstone (compare-and-delete in the store, so a write since wins). A replica that misses the
 * second phase keeps its tombstone, anti-entropy may copy it back to the others, and a later round
 * reaps it again. A replica that was down during the delete holds the live value, so it confirms
 * nothing until anti-entropy has brought it the tombstone: the key cannot come back from it.
 *
 * <p>Like anti-entropy, a round yields while client requests are slow.
 */
public final class TombstoneReaper {

    private static final Logger log = LoggerFactory.getLogger(TombstoneReaper.class);

    /** Where the reaping of one batch stands. */
    enum State { CHECKING, SETTLING, REAPING }

    private final PartitionTrees trees;
    private final TombstoneIndex tombstones;
    private final ClusterView cluster;
    private final PeerCalls peers;
    private final VersionedStore store;
    private final Scheduler scheduler;
    private final InstantSource clock;
    private final int maxN;
    private final Duration grace;
    private final Duration settle;
    private final int batch;
    private final AdmissionControl admission;
    private final DynamoMetrics metrics;

    /**
     * @param clock  the wall clock against which values expire
     * @param grace  a tombstone is reaped only once this node has held it, unchanged, for this plus {@code settle};
     *               also how often at most a partition is swept for values that expired
     * @param settle the transport's request lifetime: how long after the check the reap waits
     * @param batch  the most keys of one partition a round reaps
     */
    public TombstoneReaper(PartitionTrees trees, ClusterView cluster, PeerCalls peers, VersionedStore store,
            Scheduler scheduler, InstantSource clock, int maxN, Duration grace, Duration settle, int batch,
            AdmissionControl admission, DynamoMetrics metrics) {
        this.trees = trees;
        this.tombstones = trees.tombstones();
        this.clock = clock;
        this.cluster = cluster;
        this.peers = peers;
        this.store = store;
        this.scheduler = scheduler;
        this.maxN = maxN;
        this.grace = grace;
        this.settle = settle;
        this.batch = batch;
        this.admission = admission;
        this.metrics = metrics;
    }

    /** One round over the partitions this node is first replica of; completes when the last batch ended. */
    public CompletableFuture<Void> reapOnce() {
        Optional<Ring> ring = cluster.ring();
        if (ring.isEmpty() || ring.get().partitions() != tombstones.partitions()) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<Ring> next = cluster.view().next();
        Member self = cluster.self();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int p = 0; p < ring.get().partitions(); p++) {
            long start = ring.get().partitionStart(p);
            List<Member> replicas = ring.get().preferenceList(start, maxN);
            boolean moving = next.isPresent() && !next.get().preferenceList(start, maxN).equals(replicas);
            if (replicas.isEmpty() || !replicas.getFirst().equals(self) || moving) {
                continue;
            }
            int partition = p;
            chain = chain.thenCompose(ignored -> reapPartition(partition, replicas.subList(1, replicas.size()))
                    .exceptionally(error -> {
                        log.debug("reaping tombstones of partition {} failed: {}", partition, error.toString());
                        return null;
                    }));
        }
        return chain;
    }

    private CompletableFuture<Void> reapPartition(int partition, List<Member> others) {
        if (!admission.admits()) {
            return CompletableFuture.completedFuture(null);
        }
        // each key's entry as taken: a change made since (even one the store made visible before it reported
        // it, so that the state read here is newer than the entry) shows as a changed entry before the reap
        Map<KeyVersion, Long> taken = new LinkedHashMap<>();
        trees.sweepIfDue(partition, grace);
        long now = clock.millis();
        tombstones.heldFor(partition, grace.plus(settle), batch).forEach((key, since) -> {
            VersionedValue state = store.read(key);
            if (state.goneAt() <= now) {
                taken.put(new KeyVersion(key.encode(), VersionHash.of(key.encode(), state)), since);
            } else {
                tombstones.forget(partition, key, since);
            }
        });
        if (taken.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        log.trace("partition {}: {} {} keys", partition, State.CHECKING, taken.size());
        return confirmed(List.copyOf(taken.keySet()), others, 0).thenCompose(this::settled).thenCompose(settled -> {
            List<KeyVersion> keys = settled.stream().filter(kv -> taken.get(kv)
                    .equals(tombstones.since(partition, StorageKey.decode(kv.key())))).toList();
            if (keys.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            log.trace("partition {}: {} {} keys", partition, State.REAPING, keys.size());
            for (Member peer : others) {
                peers.call(peer, new TombstoneReap(keys), TombstonesReaped.class).whenComplete((reply, error) -> {
                    if (error != null) {
                        log.debug("{} did not reap tombstones: {}", peer.id(), error.toString());
                    }
                });
            }
            return reap(keys).thenApply(count -> null);
        });
    }

    /** {@code keys}, once the requests that were in flight when they were confirmed can no longer be served. */
    private CompletableFuture<List<KeyVersion>> settled(List<KeyVersion> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(keys);
        }
        log.trace("{} {} keys for {}", State.SETTLING, keys.size(), settle);
        CompletableFuture<List<KeyVersion>> settled = new CompletableFuture<>();
        scheduler.schedule(settle, () -> settled.complete(keys));
        return settled;
    }

    /** The candidates every one of {@code others} from {@code from} on holds in exactly the same state. */
    private CompletableFuture<List<KeyVersion>> confirmed(List<KeyVersion> candidates, List<Member> others, int from) {
        if (candidates.isEmpty() || from == others.size()) {
            return CompletableFuture.completedFuture(candidates);
        }
        Member peer = others.get(from);
        return peers.call(peer, new TombstoneCheck(candidates), TombstonesHeld.class)
                .handle((held, error) -> {
                    if (error == null) {
                        Set<KeyVersion> theirs = new HashSet<>(held.keys());
                        return candidates.stream().filter(theirs::contains).toList();
                    }
                    log.debug("{} confirmed no tombstone: {}", peer.id(), error.toString());
                    return List.<KeyVersion>of();
                })
                .thenCompose(kept -> confirmed(kept, others, from + 1));
    }

    /** Answers a first replica's check or reap. */
    public CompletableFuture<Message> serve(Message.TombstoneRequest request) {
        return switch (request) {
            case TombstoneCheck check -> serveCheck(check);
            case TombstoneReap reap -> serveReap(reap);
        };
    }

    /** Answers a first replica's {@link TombstoneCheck} from storage, on the scheduler, off the transport's threads. */
    private CompletableFuture<Message> serveCheck(TombstoneCheck request) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        scheduler.schedule(Duration.ZERO, () -> {
            try {
                reply.complete(new TombstonesHeld(request.keys().stream().filter(this::holds).toList()));
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    /** Answers a first replica's {@link TombstoneReap}: removes each key still in the given state. */
    private CompletableFuture<Message> serveReap(TombstoneReap request) {
        List<KeyVersion> valid = request.keys().stream().filter(kv -> PeerKeys.decode(kv.key()).isPresent()).toList();
        return reap(valid).thenApply(TombstonesReaped::new);
    }

    /** Reaps {@code keys} here, counting what this node removed (as first replica or at another's request). */
    private CompletableFuture<Integer> reap(List<KeyVersion> keys) {
        return store.reap(keys).thenApply(removed -> {
            metrics.reaped(removed.size(), (int) removed.stream().filter(VersionedStore.Reaped::expired).count(),
                    removed.stream().mapToLong(VersionedStore.Reaped::bytes).sum());
            return removed.size();
        });
    }

    private boolean holds(KeyVersion expected) {
        Optional<StorageKey> key = PeerKeys.decode(expected.key());
        return key.isPresent() && VersionHash.of(expected.key(), store.read(key.get())) == expected.version();
    }
}
