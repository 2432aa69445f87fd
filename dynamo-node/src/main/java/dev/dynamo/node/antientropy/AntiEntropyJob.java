package dev.dynamo.node.antientropy;

import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.antientropy.PartitionTree;
import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingChange;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.core.wire.Message.LeafRead;
import dev.dynamo.core.wire.Message.LeafVersions;
import dev.dynamo.core.wire.Message.ReplicaRead;
import dev.dynamo.core.wire.Message.ReplicaValue;
import dev.dynamo.core.wire.Message.TreeHashes;
import dev.dynamo.core.wire.Message.TreeRead;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.coordination.ReadRepairs;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.VersionedStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy (Dynamo, section 4.7). Every round, for each partition this node replicates (per the
 * current ring, with the largest N of any bucket), it compares its tree with each other replica whose
 * id sorts after its own (one exchange per pair suffices: repairs go both ways): roots first, then
 * only the children of nodes that differ, level by level, then the keys and version hashes of the
 * differing leaves. A key that differs is merged causally both ways: the peer's state into this
 * replica, and the merged state to the peer through the one repair path ({@link ReadRepairs}), so
 * siblings stay siblings. Exchanges run one at a time; a round repairs at most its budget of keys
 * and leaves the rest to the next. Rounds never overlap: the next is scheduled when one ends.
 *
 * <p>During a ring change, a replica the next ring adds to a partition also exchanges it with each
 * current replica, once its copy of the partition is complete: a write that missed it (sent by a
 * coordinator that had not seen the change yet) is repaired before the switch. It starts these
 * exchanges itself, as only it knows when its copy is complete; exchanging before would be as safe
 * (merges are causal) but would repair key by key what the copy is about to bring in bulk.
 *
 * <p>Admission control (section 6.5): before each exchange and each batch of leaves, the round checks
 * the recent p99 latency of client requests; above the limit it yields, ending there, and the next
 * round tries again.
 */
public final class AntiEntropyJob {

    private static final Logger log = LoggerFactory.getLogger(AntiEntropyJob.class);

    /** Leaves whose keys one {@link LeafRead} asks for: a reply stays far below the transport's frame limit. */
    static final int LEAVES_PER_READ = 16;
    /** Keys repaired concurrently within an exchange. */
    static final int REPAIRS_AT_ONCE = 64;

    /** Where an exchange of one partition with one replica stands. */
    enum State { COMPARING_TREES, COMPARING_KEYS, REPAIRING }

    /** This node's last exchange of a partition: when it ended, with whom, how many keys it merged, whether it failed. */
    public record LastExchange(Instant at, String peer, long keysRepaired, boolean failed) {
    }

    private final PartitionTrees trees;
    private final ClusterView cluster;
    private final PeerCalls peers;
    private final VersionedStore store;
    private final ReadRepairs repairs;
    private final Function<String, ConflictPolicy> conflicts;
    private final Scheduler scheduler;
    private final int maxN;
    private final long keysPerRound;
    private final AdmissionControl admission;
    private final IntPredicate copied;
    private final InstantSource clock;
    private final DynamoMetrics metrics;
    private final Map<Integer, LastExchange> lastExchanges = new ConcurrentHashMap<>();
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong repaired = new AtomicLong();
    private final AtomicLong exchanges = new AtomicLong();

    /**
     * @param interval         the pause between rounds (run by a {@link dev.dynamo.node.scheduling.Rounds})
     * @param maxKeysPerSecond the rate budget: a round repairs at most this many keys per second of
     *                         {@code interval}
     * @param admission        a round yields when it refuses
     * @param copied           whether this node's copy of a partition it receives in a ring change is complete
     */
    public AntiEntropyJob(PartitionTrees trees, ClusterView cluster, PeerCalls peers, VersionedStore store,
            ReadRepairs repairs, Function<String, ConflictPolicy> conflicts, Scheduler scheduler, Duration interval,
            int maxN, int maxKeysPerSecond, AdmissionControl admission, IntPredicate copied, InstantSource clock,
            DynamoMetrics metrics) {
        this.trees = trees;
        this.cluster = cluster;
        this.peers = peers;
        this.store = store;
        this.repairs = repairs;
        this.conflicts = conflicts;
        this.scheduler = scheduler;
        this.maxN = maxN;
        this.keysPerRound = Math.max(1, maxKeysPerSecond * Math.max(1, interval.toMillis()) / 1000);
        this.admission = admission;
        this.copied = copied;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Bytes of anti-entropy requests and replies this node sent or received as the initiator. */
    public long bytesExchanged() {
        return bytes.get();
    }

    /** Exchanges this node started that have ended. */
    public long exchanges() {
        return exchanges.get();
    }

    /** Keys this node found to differ and merged, as the initiator. */
    public long keysRepaired() {
        return repaired.get();
    }

    /** Rounds that yielded to slow client requests. */
    public long deferredRounds() {
        return deferred.get();
    }

    /** The last exchange this node started of each partition it has exchanged, by partition. */
    public Map<Integer, LastExchange> lastExchanges() {
        return Map.copyOf(lastExchanges);
    }

    /** One round over every partition this node replicates or receives; completes when its last exchange ended. */
    public CompletableFuture<Void> exchangeOnce() {
        MembershipView view = cluster.view();
        Optional<Ring> ring = view.ring();
        if (ring.isEmpty() || ring.get().partitions() != trees.partitions()) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<RingChange> change = view.next().map(next -> new RingChange(ring.get(), next));
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        AtomicLong budget = new AtomicLong(keysPerRound);
        for (int p = 0; p < ring.get().partitions(); p++) {
            int partition = p;
            for (Member peer : peers(ring.get(), change, partition)) {
                chain = chain.thenCompose(ignored -> exchange(partition, peer, budget)
                        .exceptionally(error -> {
                            log.debug("anti-entropy of partition {} with {} failed: {}", partition, peer.id(),
                                    error.toString());
                            return null;
                        }));
            }
        }
        return chain;
    }

    /**
     * Whom this node exchanges {@code partition} with: as a current replica, each other one whose id
     * sorts after its own; as a replica the next ring adds, once its copy is complete, every current one.
     */
    private List<Member> peers(Ring ring, Optional<RingChange> change, int partition) {
        Member self = cluster.self();
        List<Member> replicas = ring.preferenceList(ring.partitionStart(partition), maxN);
        if (replicas.contains(self)) {
            return replicas.stream().filter(peer -> peer.id().compareTo(self.id()) > 0).toList();
        }
        boolean copiedHere = change.isPresent() && change.get().pendingReplicas(partition, maxN).contains(self)
                && copied.test(partition);
        return copiedHere ? replicas : List.of();
    }

    /** Compares this node's tree of {@code partition} with {@code peer}'s and repairs the keys that differ. */
    CompletableFuture<Void> exchange(int partition, Member peer, AtomicLong budget) {
        PartitionTree tree = trees.built(partition);
        if (tree == null || !admitted(budget)) {
            return CompletableFuture.completedFuture(null);
        }
        // exchanges run one at a time, so the keys repaired meanwhile are this exchange's
        long repairedBefore = repaired.get();
        return descend(tree, peer, 0, new int[] {0})
                .thenCompose(leaves -> compareLeaves(tree, peer, leaves, 0, budget))
                .whenComplete((ok, error) -> {
                    exchanges.incrementAndGet();
                    metrics.exchanged();
                    lastExchanges.put(partition, new LastExchange(clock.instant(), peer.id(),
                            repaired.get() - repairedBefore, error != null));
                });
    }

    /** The differing leaves below {@code nodes} of {@code level}, asking the peer for one level at a time. */
    private CompletableFuture<int[]> descend(PartitionTree tree, Member peer, int level, int[] nodes) {
        log.trace("partition {} with {}: {} at level {}", tree.range().partition(), peer.id(), State.COMPARING_TREES,
                level);
        TreeRead read = new TreeRead(tree.range(), tree.depth(), level, IntStream.of(nodes).boxed().toList());
        return request(peer, read, TreeHashes.class).thenCompose(reply -> {
            long[] theirs = reply.hashes().stream().mapToLong(Long::longValue).toArray();
            int[] differing = PartitionTree.differing(nodes, tree.hashes(level, nodes), theirs);
            if (differing.length == 0 || level == tree.depth()) {
                return CompletableFuture.completedFuture(differing);
            }
            return descend(tree, peer, level + 1, PartitionTree.children(differing));
        });
    }

    /** Compares and repairs the keys of {@code leaves}, {@value #LEAVES_PER_READ} at a time from {@code from} on. */
    private CompletableFuture<Void> compareLeaves(PartitionTree tree, Member peer, int[] leaves, int from,
            AtomicLong budget) {
        if (from >= leaves.length || !admitted(budget)) {
            return CompletableFuture.completedFuture(null);
        }
        int[] some = Arrays.copyOfRange(leaves, from, Math.min(leaves.length, from + LEAVES_PER_READ));
        return differingKeys(tree, peer, some)
                .thenCompose(keys -> repairAll(tree.range(), peer, keys, 0, budget))
                .thenCompose(ignored -> compareLeaves(tree, peer, leaves, from + LEAVES_PER_READ, budget));
    }

    private CompletableFuture<List<byte[]>> differingKeys(PartitionTree tree, Member peer, int[] leaves) {
        log.trace("partition {} with {}: {} in {} leaves", tree.range().partition(), peer.id(), State.COMPARING_KEYS,
                leaves.length);
        List<Integer> wanted = IntStream.of(leaves).boxed().toList();
        return request(peer, new LeafRead(tree.range(), tree.depth(), wanted), LeafVersions.class)
                .thenApplyAsync(reply -> KeyVersion.differing(trees.versions(tree, wanted), reply.entries()),
                        task -> scheduler.schedule(Duration.ZERO, task));
    }

    /** Repairs {@code keys} from {@code from} on, {@value #REPAIRS_AT_ONCE} at a time, while the round's budget lasts. */
    private CompletableFuture<Void> repairAll(PartitionRange range, Member peer, List<byte[]> keys, int from,
            AtomicLong budget) {
        List<CompletableFuture<Void>> merges = new ArrayList<>();
        int next = from;
        for (; next < keys.size() && merges.size() < REPAIRS_AT_ONCE && budget.get() > 0; next++) {
            Optional<StorageKey> key = checked(range, keys.get(next));
            if (key.isEmpty()) {
                log.debug("{} sent a key that is not in {}: {}", peer.id(), range, Arrays.toString(keys.get(next)));
            } else {
                budget.decrementAndGet();
                merges.add(repair(peer, key.get()));
            }
        }
        if (merges.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        log.trace("partition {} with {}: {} {} keys", range.partition(), peer.id(), State.REPAIRING, merges.size());
        int done = next;
        return CompletableFuture.allOf(merges.toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> repairAll(range, peer, keys, done, budget));
    }

    /**
     * Whether the round may go on: its budget lasts and client requests are fast. A round that must
     * yield to them spends its budget, so that it ends here, and counts as deferred once.
     */
    private boolean admitted(AtomicLong budget) {
        if (budget.get() <= 0) {
            return false;
        }
        if (admission.admits()) {
            return true;
        }
        if (budget.getAndSet(0) > 0) {
            deferred.incrementAndGet();
            metrics.antiEntropyDeferred();
        }
        return false;
    }

    /** Merges the peer's state of {@code key} here and the merged state there, each only where it changes something. */
    private CompletableFuture<Void> repair(Member peer, StorageKey key) {
        ConflictPolicy policy = conflicts.apply(key.bucket());
        return request(peer, new ReplicaRead(key, null), ReplicaValue.class).thenCompose(reply -> {
            VersionedValue theirs = reply.value();
            VersionedValue mine = store.read(key);
            VersionedValue merged = mine.merge(theirs, policy);
            byte[] stored = key.encode();
            long version = VersionHash.of(stored, merged);
            repaired.incrementAndGet();
            metrics.keyRepaired();
            if (version != VersionHash.of(stored, theirs)) {
                repairs.repair(peer, key, merged, policy, this::count);
            }
            return version == VersionHash.of(stored, mine) ? CompletableFuture.<Void>completedFuture(null)
                    : store.merge(key, theirs, policy).thenApply(ignored -> (Void) null);
        });
    }

    /** A key from a peer, only as {@link StorageKey#of} makes it and only in the partition exchanged. */
    private static Optional<StorageKey> checked(PartitionRange range, byte[] stored) {
        return PeerKeys.decode(stored).filter(key -> range.contains(key.position()));
    }

    private <T extends Message> CompletableFuture<T> request(Member peer, Message request, Class<T> expected) {
        return peers.call(peer, request, expected, this::count);
    }

    private void count(int size) {
        bytes.addAndGet(size);
        metrics.exchangeBytes(size);
    }
}
