package dev.dynamo.node.listing;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.wire.Message.KeysListed;
import dev.dynamo.core.wire.Message.KeysRead;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.membership.ClusterUnavailableException;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.VersionedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Lists a bucket's keys a page at a time. The coordinator makes a coverage plan, one reachable replica
 * per partition (itself first), asks each replica in the plan for up to a page of keys after the token from
 * its key index ({@link VersionedStore#keys}), and merges the answers: every key up to the lowest
 * point where a replica stopped early is known, so the page is the first {@code limit} of those, and the
 * token the last key given (or that point). Memory per request is bounded by replicas times page size.
 *
 * <p>A replica looks at a bounded number of index entries per read, fewer while client requests are slow
 * ({@link AdmissionControl}): pages then shrink, even to none, but every page moves the token on.
 */
public final class KeyListing {

    /** The largest page a client may ask for. */
    public static final int MAX_PAGE = 1000;
    /** Index entries a replica looks at per read while client requests are slow. */
    private static final int YIELDING_BUDGET = 16;

    private final ClusterView cluster;
    private final BucketPolicies policies;
    private final VersionedStore store;
    private final PeerCalls peers;
    private final FailureDetector detector;
    private final Scheduler scheduler;
    private final AdmissionControl admission;

    public KeyListing(ClusterView cluster, BucketPolicies policies, VersionedStore store, PeerCalls peers,
            FailureDetector detector, Scheduler scheduler, AdmissionControl admission) {
        this.cluster = cluster;
        this.policies = policies;
        this.store = store;
        this.peers = peers;
        this.detector = detector;
        this.scheduler = scheduler;
        this.admission = admission;
    }

    /** A page of keys in unsigned byte order; {@code next} is the token of the following page, null at the end. */
    public record Page(List<byte[]> keys, byte[] next) {
    }

    /**
     * The first {@code limit} live keys of {@code bucket} after {@code after} ({@code null}: from the first).
     * A replica that does not answer its share is replaced by the next replica of each of its partitions.
     * Fails with {@link ClusterUnavailableException} when some partition has no replica left to ask: a listing
     * that silently skipped a partition would look complete.
     */
    public CompletableFuture<Page> page(String bucket, byte[] after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", got " + limit);
        }
        Ring ring = cluster.requireRing();
        int n = policies.of(bucket).n();
        List<Integer> all = IntStream.range(0, ring.partitions()).boxed().toList();
        return read(ring, n, new KeysRead(bucket, after, ring.partitions(), all, limit), Set.of())
                .thenApply(replies -> merge(replies, limit));
    }

    /** Reads {@code read}'s partitions, each from one replica not in {@code failed}, falling back on failure. */
    private CompletableFuture<List<KeysListed>> read(Ring ring, int n, KeysRead read, Set<String> failed) {
        List<CompletableFuture<List<KeysListed>>> shares = new ArrayList<>();
        plan(ring, n, read.wanted(), failed).forEach((replica, partitions) -> {
            KeysRead share = new KeysRead(read.bucket(), read.after(), read.partitions(), partitions, read.maxKeys());
            CompletableFuture<KeysListed> answer = replica.id().equals(cluster.self().id()) ? serveRead(share)
                    : peers.call(replica, share, KeysListed.class);
            shares.add(answer.thenApply(List::of).exceptionallyCompose(error -> {
                Set<String> without = new HashSet<>(failed);
                without.add(replica.id());
                return read(ring, n, share, without);
            }));
        });
        return CompletableFuture.allOf(shares.toArray(CompletableFuture[]::new))
                .thenApply(done -> shares.stream().flatMap(share -> share.join().stream()).toList());
    }

    /**
     * For each of {@code partitions} the first of its replicas, not in {@code failed}, that is this node or
     * reachable, grouped by replica.
     */
    private Map<Member, List<Integer>> plan(Ring ring, int n, List<Integer> partitions, Set<String> failed) {
        Map<Member, List<Integer>> plan = new LinkedHashMap<>();
        for (int partition : partitions) {
            List<Member> replicas = ring.preferenceList(ring.partitionStart(partition), n).stream()
                    .filter(m -> !failed.contains(m.id())).toList();
            Member chosen = replicas.stream().filter(m -> m.id().equals(cluster.self().id())).findFirst()
                    .or(() -> replicas.stream().filter(m -> detector.isAvailable(m.id())).findFirst())
                    .orElseThrow(() -> new ClusterUnavailableException("no replica of partition " + partition
                            + " is reachable to list its keys" + (failed.isEmpty() ? "" : "; " + failed
                            + " did not answer")));
            plan.computeIfAbsent(chosen, m -> new ArrayList<>()).add(partition);
        }
        return plan;
    }

    /** Every key up to the lowest frontier is known; the page is the first {@code limit} of them. */
    static Page merge(List<KeysListed> replies, int limit) {
        byte[] bound = null;
        for (KeysListed reply : replies) {
            if (reply.frontier() != null && (bound == null || Arrays.compareUnsigned(reply.frontier(), bound) < 0)) {
                bound = reply.frontier();
            }
        }
        TreeSet<byte[]> known = new TreeSet<>(Arrays::compareUnsigned);
        for (KeysListed reply : replies) {
            for (byte[] key : reply.keys()) {
                if (bound == null || Arrays.compareUnsigned(key, bound) <= 0) {
                    known.add(key);
                }
            }
        }
        List<byte[]> page = known.stream().limit(limit).toList();
        return new Page(page, page.size() == limit ? page.getLast() : bound);
    }

    /** Serves a coordinator's read (this node's own, or another's) of this replica's share of a plan, off the transport thread. */
    public CompletableFuture<KeysListed> serveRead(KeysRead read) {
        Ring ring = cluster.requireRing();
        if (ring.partitions() != read.partitions()) {
            throw new IllegalArgumentException("the listing's ring has " + read.partitions()
                    + " partitions, this node's " + ring.partitions());
        }
        BitSet wanted = new BitSet(ring.partitions());
        read.wanted().forEach(wanted::set);
        int budget = admission.admits() ? 4 * read.maxKeys() + 256 : YIELDING_BUDGET;
        CompletableFuture<KeysListed> reply = new CompletableFuture<>();
        scheduler.schedule(Duration.ZERO, () -> {
            try {
                VersionedStore.KeyPage page = store.keys(read.bucket(), read.after(),
                        position -> wanted.get(ring.partitionOf(position)), read.maxKeys(), budget);
                reply.complete(new KeysListed(page.keys(), page.frontier()));
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }
}
