package dev.dynamo.core.ring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ring as an immutable value: Q equal partitions of the 64-bit position space, a version, the
 * members and the owner of each partition (Dynamo's strategy 3, DeCandia et al. 2007, section 6.2).
 *
 * <p>Positions are unsigned: partition p holds positions whose top log2(Q) bits equal p, so each
 * partition is one contiguous range of stored keys (see {@code StorageKey}). Members are kept
 * sorted by id so that equal rings are equal values whatever order they were built in.
 */
public final class Ring {

    /** The most partitions a ring may have; owners are encoded as two-byte member indexes. */
    public static final int MAX_PARTITIONS = 1 << 16;

    private final int partitions;
    private final int bits;
    private final long version;
    private final List<Member> members;
    private final List<String> owners;

    private Ring(int partitions, long version, List<Member> members, List<String> owners) {
        checkPartitions(partitions);
        this.partitions = partitions;
        this.bits = Integer.numberOfTrailingZeros(partitions);
        this.version = version;
        this.members = members.stream().sorted(Comparator.comparing(Member::id)).toList();
        this.owners = List.copyOf(owners);
        Set<String> ids = new HashSet<>();
        for (Member m : this.members) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("duplicate member id '" + m.id() + "'");
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one member");
        }
        if (this.owners.size() != partitions) {
            throw new IllegalArgumentException("expected " + partitions + " owners, got " + this.owners.size());
        }
        for (int p = 0; p < partitions; p++) {
            if (!ids.contains(this.owners.get(p))) {
                throw new IllegalArgumentException("partition " + p + " owner '" + this.owners.get(p) + "' is not a member");
            }
        }
    }

    /** A ring with a balanced first claim, at version 1. */
    public static Ring create(int partitions, List<Member> members) {
        List<Member> sorted = members.stream().sorted(Comparator.comparing(Member::id)).toList();
        return new Ring(partitions, 1, sorted, Claim.rebalance(partitions, null, sorted));
    }

    /** A ring from its parts, validated: the inverse of its accessors, used by the codec. */
    public static Ring of(int partitions, long version, List<Member> members, List<String> owners) {
        return new Ring(partitions, version, members, owners);
    }

    static void checkPartitions(int partitions) {
        if (partitions < 1 || partitions > MAX_PARTITIONS || Integer.bitCount(partitions) != 1) {
            throw new IllegalArgumentException(
                    "partition count must be a power of two from 1 to " + MAX_PARTITIONS + ", got " + partitions);
        }
    }

    /** The number of partitions, Q. */
    public int partitions() {
        return partitions;
    }

    /** The version, raised by one on every membership change. */
    public long version() {
        return version;
    }

    /** The members, sorted by id. */
    public List<Member> members() {
        return members;
    }

    /** The owner of every partition, by partition. */
    public List<String> owners() {
        return owners;
    }

    /** The partition holding a ring position, the position read as unsigned. */
    public int partitionOf(long position) {
        // Java masks shift distances to 6 bits, so >>> 64 would be a no-op: one partition is special.
        return bits == 0 ? 0 : (int) (position >>> (Long.SIZE - bits));
    }

    /** The first position of a partition, as {@code StorageKey.rangeStart} takes it. */
    public long partitionStart(int partition) {
        checkPartition(partition);
        return bits == 0 ? 0 : (long) partition << (Long.SIZE - bits);
    }

    /** The id of the member owning a partition. */
    public String owner(int partition) {
        checkPartition(partition);
        return owners.get(partition);
    }

    /** How many partitions each member owns, by member id in id order (zero for none). */
    public Map<String, Integer> ownedCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        members.forEach(m -> counts.put(m.id(), 0));
        owners.forEach(o -> counts.merge(o, 1, Integer::sum));
        return counts;
    }

    /** This ring with a member added and partitions re-claimed with minimal movement. */
    public Ring withMember(Member member) {
        if (members.stream().anyMatch(m -> m.id().equals(member.id()))) {
            throw new IllegalArgumentException("member '" + member.id() + "' is already in the ring");
        }
        List<Member> next = new ArrayList<>(members);
        next.add(member);
        next.sort(Comparator.comparing(Member::id));
        return new Ring(partitions, version + 1, next, Claim.rebalance(partitions, owners, next));
    }

    /** This ring without a member, its partitions handed to the least loaded. */
    public Ring withoutMember(String id) {
        List<Member> next = members.stream().filter(m -> !m.id().equals(id)).toList();
        if (next.size() == members.size()) {
            throw new IllegalArgumentException("member '" + id + "' is not in the ring");
        }
        if (next.isEmpty()) {
            throw new IllegalArgumentException("cannot remove '" + id + "', the last member of the ring");
        }
        return new Ring(partitions, version + 1, next, Claim.rebalance(partitions, owners, next));
    }

    /**
     * The first n members of {@link #extendedPreferenceList}: the replicas of a position. It holds
     * min(n, members) members, as a ring cannot place more replicas than it has nodes.
     */
    public List<Member> preferenceList(long position, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        List<Member> all = extendedPreferenceList(position);
        return all.subList(0, Math.min(n, all.size()));
    }

    /** Every member in preference order for a position: the first N replicate, the rest stand in (sloppy quorum). */
    public List<Member> extendedPreferenceList(long position) {
        return PreferenceWalk.order(this, partitionOf(position));
    }

    private void checkPartition(int partition) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " out of range 0.." + (partitions - 1));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ring other && partitions == other.partitions && version == other.version
                && members.equals(other.members) && owners.equals(other.owners);
    }

    @Override
    public int hashCode() {
        return ((Integer.hashCode(partitions) * 31 + Long.hashCode(version)) * 31 + members.hashCode()) * 31
                + owners.hashCode();
    }

    @Override
    public String toString() {
        return "Ring[Q=" + partitions + ", version=" + version + ", owned=" + ownedCounts() + "]";
    }
}
