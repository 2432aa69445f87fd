package dev.dynamo.core.membership;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingCodec;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one node knows of the cluster, as an immutable value that gossip merges: the cluster's name,
 * an entry per member, the latest heartbeat of each node, the ring, and while a membership change
 * is under way the next ring and which nodes have copied what it gives them.
 *
 * <p>{@link #merge} is a join: commutative, associative and idempotent, so nodes that exchange
 * views in any order, any number of times, end with the same view. Per member the greater entry
 * wins ({@link MemberEntry}), per node the later heartbeat ({@link Heartbeat}), and the ring with
 * the higher version. Two rings of one version are compared by their encodings, unsigned: an
 * arbitrary but deterministic choice, so every node keeps the same one. Such a tie means two nodes
 * changed the ring at once, which membership changes avoid by having one node compute every ring
 * change (the claimant: the first UP member by id, as in riak_core); should a tie still happen
 * (two claimants during a partition), the losing change is recomputed by the claimant from the
 * merged member entries, which lose nothing.
 *
 * <p>A membership change goes in steps: the claimant publishes the next ring; every node says
 * when it has seen it (from then on the writes it coordinates also go to the replicas the next
 * ring adds); once all have, every node copies the partitions the next ring gives it and says so;
 * once all are ready, the claimant makes the next ring the ring. Each node's {@link #progress} is
 * one number that only grows, {@code 2·version} for "has seen the next ring of that version" and
 * {@code 2·version + 1} for "has copied what it gives me", so the greatest wins. A next ring no
 * newer than the ring is over and dropped, so the merge of rings and next rings stays a join.
 *
 * <p>Heartbeats change every gossip round; the members and the ring, the durable part, seldom. So
 * gossip sends heartbeats and the durable part's {@link #digest}, and the durable part itself only
 * between nodes whose digests differ ({@link #deltaFor}).
 *
 * <p>A view belongs to one cluster, named when the cluster forms ({@link #formed}); an empty name
 * is a node that has not learned any cluster yet. Views of two different clusters do not merge.
 */
public final class MembershipView {

    /** What a node knows before it forms or learns a cluster. */
    public static final MembershipView EMPTY = new MembershipView("", new TreeMap<>(), new TreeMap<>(), null, null,
            new TreeMap<>(), null);

    private final String cluster;
    // never changed once a view holds them, so views share them freely
    private final NavigableMap<String, MemberEntry> members;
    private final NavigableMap<String, Heartbeat> heartbeats;
    private final Ring ring;
    private final Ring next;
    private final NavigableMap<String, Long> progress;
    /** The digest of the durable part, computed when first asked for and handed on while that part is unchanged. */
    private volatile Long digest;

    private MembershipView(String cluster, NavigableMap<String, MemberEntry> members,
            NavigableMap<String, Heartbeat> heartbeats, Ring ring, Ring next, NavigableMap<String, Long> progress,
            Long digest) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.members = members;
        this.heartbeats = heartbeats;
        this.ring = ring;
        this.next = next != null && ring != null && next.version() <= ring.version() ? null : next;
        this.progress = progress;
        this.digest = this.next == next ? digest : null;
    }

    /** A view from its parts, with no change under way; {@code ring} may be null. */
    public static MembershipView of(String cluster, Collection<MemberEntry> members, Map<String, Heartbeat> heartbeats,
            Ring ring) {
        return of(cluster, members, heartbeats, ring, null, Map.of());
    }

    /**
     * A view from its parts; {@code ring} and {@code next} may be null.
     *
     * @throws IllegalArgumentException for two entries of one member
     */
    public static MembershipView of(String cluster, Collection<MemberEntry> members, Map<String, Heartbeat> heartbeats,
            Ring ring, Ring next, Map<String, Long> progress) {
        NavigableMap<String, MemberEntry> byId = new TreeMap<>();
        for (MemberEntry entry : members) {
            if (byId.put(entry.id(), entry) != null) {
                throw new IllegalArgumentException("two entries of member '" + entry.id() + "'");
            }
        }
        return new MembershipView(cluster, byId, new TreeMap<>(heartbeats), ring, next, new TreeMap<>(progress), null);
    }

    /**
     * The view of a cluster that has just formed with {@code ring}: every member UP at version 1,
     * as issued by itself, and the cluster named after the ring's fingerprint. Every node that
     * forms the same ring makes the same view.
     */
    public static MembershipView formed(Ring ring) {
        String name = HexFormat.of().toHexDigits(fingerprint(RingCodec.encode(ring)));
        return of(name, ring.members().stream().map(m -> MemberEntry.first(m, MemberStatus.UP, m.id())).toList(),
                Map.of(), ring);
    }

    /** The cluster's name; empty when this node has not formed or learned one. */
    public String cluster() {
        return cluster;
    }

    /** Every member's entry, by id in id order; removed members included. */
    public NavigableMap<String, MemberEntry> members() {
        return Collections.unmodifiableNavigableMap(members);
    }

    public Optional<MemberEntry> member(String id) {
        return Optional.ofNullable(members.get(id));
    }

    /** Whether {@code id} has an entry that is not {@link MemberStatus#REMOVED}. */
    public boolean isActive(String id) {
        MemberEntry entry = members.get(id);
        return entry != null && entry.status() != MemberStatus.REMOVED;
    }

    /** The latest heartbeat known of each node, by id in id order. */
    public NavigableMap<String, Heartbeat> heartbeats() {
        return Collections.unmodifiableNavigableMap(heartbeats);
    }

    public Optional<Heartbeat> heartbeat(String id) {
        return Optional.ofNullable(heartbeats.get(id));
    }

    public Optional<Ring> ring() {
        return Optional.ofNullable(ring);
    }

    /** The ring a membership change under way moves to; empty when none is. */
    public Optional<Ring> next() {
        return Optional.ofNullable(next);
    }

    /** Per node, how far it got through ring changes (see the class comment), by id in id order. */
    public NavigableMap<String, Long> progress() {
        return Collections.unmodifiableNavigableMap(progress);
    }

    /** Whether node {@code id} has seen the next ring of {@code version}. */
    public boolean hasSeen(String id, long version) {
        return progress.getOrDefault(id, 0L) >= 2 * version;
    }

    /** Whether node {@code id} has copied what the next ring of {@code version} gives it. */
    public boolean isReady(String id, long version) {
        return progress.getOrDefault(id, 0L) >= 2 * version + 1;
    }

    /** This view saying that node {@code id} has seen the next ring of {@code version}. */
    public MembershipView withSeen(String id, long version) {
        return withProgress(id, 2 * version);
    }

    /** This view with {@code next} as the ring the cluster moves to, unless a newer one is known. */
    public MembershipView withNext(Ring next) {
        return merge(new MembershipView(cluster, new TreeMap<>(), new TreeMap<>(), null, next, new TreeMap<>(), null));
    }

    /** This view saying that node {@code id} has copied what the next ring of {@code version} gives it. */
    public MembershipView withReady(String id, long version) {
        return withProgress(id, 2 * version + 1);
    }

    private MembershipView withProgress(String id, long step) {
        return merge(new MembershipView(cluster, new TreeMap<>(), new TreeMap<>(), null, null,
                new TreeMap<>(Map.of(id, step)), null));
    }

    /** Whether {@code id} is a member of the ring: whether it serves data. */
    public boolean ringContains(String id) {
        return ring != null && ring.members().stream().map(Member::id).anyMatch(id::equals);
    }

    /**
     * A fingerprint of the durable part (cluster, members and ring: everything but heartbeats), the
     * first 64 bits of the SHA-256 of its encoding. Equal durable parts have equal digests; two
     * different ones share a digest with probability 2^-64.
     */
    public long digest() {
        Long known = digest;
        if (known == null) {
            known = fingerprint(MembershipViewCodec.encode(withoutHeartbeats()));
            digest = known;
        }
        return known;
    }

    /** This view joined with {@code other}. @throws IllegalArgumentException when they belong to different clusters */
    public MembershipView merge(MembershipView other) {
        String mergedCluster = cluster.isEmpty() ? other.cluster : cluster;
        if (!other.cluster.isEmpty() && !other.cluster.equals(mergedCluster)) {
            throw new IllegalArgumentException("a view of cluster " + other.cluster + " cannot merge into cluster "
                    + mergedCluster);
        }
        NavigableMap<String, MemberEntry> mergedMembers = join(members, other.members);
        NavigableMap<String, Heartbeat> mergedHeartbeats = join(heartbeats, other.heartbeats);
        Ring mergedRing = compareRings(other.ring, ring) > 0 ? other.ring : ring;
        Ring mergedNext = compareRings(other.next, next) > 0 ? other.next : next;
        if (mergedNext != null && mergedRing != null && mergedNext.version() <= mergedRing.version()) {
            mergedNext = null;
        }
        NavigableMap<String, Long> mergedProgress = join(progress, other.progress);
        boolean durableAsMine = mergedCluster.equals(cluster) && mergedMembers == members && mergedRing == ring
                && mergedNext == next && mergedProgress == progress;
        if (durableAsMine && mergedHeartbeats == heartbeats) {
            return this;
        }
        boolean durableAsTheirs = mergedCluster.equals(other.cluster) && mergedMembers == other.members
                && mergedRing == other.ring && mergedNext == other.next && mergedProgress == other.progress;
        return new MembershipView(mergedCluster, mergedMembers, mergedHeartbeats, mergedRing, mergedNext, mergedProgress,
                durableAsMine ? digest : durableAsTheirs ? other.digest : null);
    }

    /** This view with {@code entry} merged in: kept only where it wins over the entry held. */
    public MembershipView with(MemberEntry entry) {
        return merge(new MembershipView(cluster, new TreeMap<>(Map.of(entry.id(), entry)), new TreeMap<>(), null, null,
                new TreeMap<>(), null));
    }

    /** This view with {@code heartbeat} of node {@code id} merged in. */
    public MembershipView withHeartbeat(String id, Heartbeat heartbeat) {
        return merge(new MembershipView(cluster, new TreeMap<>(), new TreeMap<>(Map.of(id, heartbeat)), null, null,
                new TreeMap<>(), null));
    }

    /**
     * What this view holds that a node lacks, given that node's heartbeats and digest: the heartbeats
     * newer than its own, and the durable part when the digests differ (which of the two is newer,
     * only merging tells). Merging the result into the node's view gives what merging this whole
     * view would.
     */
    public MembershipView deltaFor(MembershipView theirHeartbeats, long theirDigest) {
        NavigableMap<String, Heartbeat> newer = new TreeMap<>();
        heartbeats.forEach((id, heartbeat) -> {
            Heartbeat held = theirHeartbeats.heartbeats.get(id);
            if (held == null || held.compareTo(heartbeat) < 0) {
                newer.put(id, heartbeat);
            }
        });
        return digest() == theirDigest ? new MembershipView(cluster, new TreeMap<>(), newer, null, null, new TreeMap<>(), null)
                : new MembershipView(cluster, members, newer, ring, next, progress, digest);
    }

    /** Only the cluster's name and the heartbeats: what gossip sends with the digest. */
    public MembershipView heartbeatsOnly() {
        return new MembershipView(cluster, new TreeMap<>(), heartbeats, null, null, new TreeMap<>(), null);
    }

    /** This view without heartbeats, its durable part: what is worth keeping across restarts. */
    public MembershipView withoutHeartbeats() {
        return heartbeats.isEmpty() ? this : new MembershipView(cluster, members, new TreeMap<>(), ring, next, progress, digest);
    }

    /** Greater than zero when ring {@code a} wins over {@code b}; no ring (null) loses to any ring. */
    private static int compareRings(Ring a, Ring b) {
        if (a == b) {
            return 0;
        }
        if (a == null || b == null) {
            return a == null ? -1 : 1;
        }
        if (a.version() != b.version()) {
            return Long.compare(a.version(), b.version());
        }
        return a.equals(b) ? 0 : Arrays.compareUnsigned(RingCodec.encode(a), RingCodec.encode(b));
    }

    /** {@code mine} with every value of {@code theirs} that is greater; {@code mine} itself when none is. */
    private static <V extends Comparable<V>> NavigableMap<String, V> join(NavigableMap<String, V> mine,
            NavigableMap<String, V> theirs) {
        if (theirs == mine) {
            return mine;
        }
        TreeMap<String, V> joined = null;
        for (Map.Entry<String, V> e : theirs.entrySet()) {
            V held = mine.get(e.getKey());
            if (held == null || held.compareTo(e.getValue()) < 0) {
                if (joined == null) {
                    joined = new TreeMap<>(mine);
                }
                joined.put(e.getKey(), e.getValue());
            }
        }
        return joined == null ? mine : joined;
    }

    private static long fingerprint(byte[] bytes) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MembershipView other && cluster.equals(other.cluster) && members.equals(other.members)
                && heartbeats.equals(other.heartbeats) && Objects.equals(ring, other.ring)
                && Objects.equals(next, other.next) && progress.equals(other.progress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cluster, members, heartbeats, ring, next, progress);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("MembershipView[cluster=").append(cluster).append(", members={");
        String separator = "";
        for (MemberEntry e : members.values()) {
            s.append(separator).append(e.id()).append('=').append(e.status()).append(" v").append(e.version());
            separator = ", ";
        }
        return s.append("}, heartbeats=").append(heartbeats.size()).append(", ring=")
                .append(ring == null ? "none" : "version " + ring.version())
                .append(next == null ? "" : ", next=version " + next.version() + ", progress=" + progress).append(']').toString();
    }
}
