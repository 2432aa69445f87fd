package dev.dynamo.core.wire;

import dev.dynamo.core.antientropy.KeyVersion;
import dev.dynamo.core.antientropy.PartitionTree;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One message of the internode protocol, between nodes that share the cluster secret. Every request
 * has exactly one reply; which replies a request may get is said on the request. Any request may also
 * be answered by {@link Failure}. What applications' clients send is a {@link ClientMessage}: none of
 * these ever crosses a client connection.
 */
public sealed interface Message {

    /**
     * What one node asks of another, as opposed to replies. Every request is of one family, which the
     * concern that owns it serves; the receiving node dispatches on these types exhaustively.
     */
    sealed interface PeerRequest extends Message {
    }

    /** Requests about one replica of a key: reads, writes, and writes to coordinate. */
    sealed interface ReplicaRequest extends PeerRequest {
    }

    /** Gossip exchanges of the membership view. */
    sealed interface GossipRequest extends PeerRequest {
    }

    /** Anti-entropy's reads of a partition's hash tree. */
    sealed interface TreeRequest extends PeerRequest {
    }

    /** Tombstone reaping's checks and removals. */
    sealed interface TombstoneRequest extends PeerRequest {
    }

    /** Asks a node who it is. Reply: {@link Described}. */
    record Describe() implements PeerRequest {
    }

    /** A node's identity and internode address. */
    record Described(Member member) implements Message {
        public Described {
            Objects.requireNonNull(member, "member");
        }
    }

    /**
     * Asks a replica for its state of a key. With {@code hintFor} set, the receiver stands in for that
     * owner (sloppy quorum) and answers from what it holds for it as well. Reply: {@link ReplicaValue}.
     */
    record ReplicaRead(StorageKey key, String hintFor) implements ReplicaRequest {
        public ReplicaRead {
            Objects.requireNonNull(key, "key");
        }
    }

    /** A replica's state of a key; empty when it holds none. */
    record ReplicaValue(VersionedValue value) implements Message {
        public ReplicaValue {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Asks a replica to merge a state of a key into its own (replication, read repair, hint
     * delivery). With {@code hintFor} set, the receiver stores it as a hint for that owner instead.
     * Reply: {@link Ack} once durable.
     */
    record ReplicaWrite(StorageKey key, VersionedValue value, String hintFor) implements ReplicaRequest {
        public ReplicaWrite {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The write was made durable. */
    record Ack() implements Message {
    }

    /**
     * Asks a node of the key's preference list to coordinate a client write: a new version with
     * {@code content} (a tombstone for a delete) superseding {@code context}, or, when the context is
     * null, superseding everything the coordinator holds. The coordinator stamps the content with its
     * own clock. Reply: {@link Coordinated},
     * {@link QuorumFailed} or {@link Failure}.
     */
    record CoordinateWrite(StorageKey key, VersionVector context, Content content, int w) implements ReplicaRequest {
        public CoordinateWrite {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(content, "content");
        }
    }

    /** The write reached its quorum; {@code value} is the key's state at the coordinator after it. */
    record Coordinated(VersionedValue value) implements Message {
        public Coordinated {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Fewer than {@code required} replicas answered in time; {@code answered} did. */
    record QuorumFailed(int answered, int required) implements Message {
    }

    // ---- membership: push-pull gossip ----

    /**
     * Opens a gossip exchange: the sender's heartbeats (and cluster name), and the digest of its
     * members and ring, which travel only when the receiver's differ. Reply: {@link GossipAck}.
     */
    record GossipSyn(MembershipView heartbeats, long digest) implements GossipRequest {
        public GossipSyn {
            Objects.requireNonNull(heartbeats, "heartbeats");
            if (!heartbeats.members().isEmpty() || heartbeats.ring().isPresent()) {
                throw new IllegalArgumentException("a gossip syn carries heartbeats and a digest, not members or a ring");
            }
        }
    }

    /**
     * The receiver merged the sender's heartbeats; {@code delta} holds those the sender lacks, and,
     * when the digests differed, the receiver's members and ring, and then {@code pushWanted} asks
     * for the sender's: it answers with {@link GossipPush}.
     */
    record GossipAck(MembershipView delta, boolean pushWanted) implements Message {
        public GossipAck {
            Objects.requireNonNull(delta, "delta");
        }
    }

    /** The sender's members and ring, which a {@link GossipAck} asked for, to merge. Reply: {@link Ack}. */
    record GossipPush(MembershipView view) implements GossipRequest {
        public GossipPush {
            Objects.requireNonNull(view, "view");
        }
    }

    // ---- end of membership ----

    /** The request could not be served, for a reason of {@code kind} explained by {@code detail}. */
    record Failure(Kind kind, String detail) implements Message {
        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }

        /** Why a request failed, for the caller to map to its own errors. */
        public enum Kind {
            /** the receiver's store has no room */
            STORAGE_FULL,
            /** the receiver is not ready to serve (the ring is not formed yet, or does not list it) and did nothing */
            UNAVAILABLE,
            /** the request was malformed or not allowed */
            BAD_REQUEST,
            /** anything else; the detail says what */
            INTERNAL,
            /** the write would pass the coordinator's object limits; nothing was stored */
            OBJECT_LIMIT
        }
    }

    // ---- Partition transfer: a partition's new owner pulls its entries from a current replica ----

    /**
     * Asks a replica for the next entries of a partition's DATA range ({@link PartitionRange}), in key
     * order: those after the stored key {@code after}, or from the partition's start when it is null;
     * at most {@code maxKeys} entries, and no more past the first than fit in {@code maxBytes} of keys
     * and values. When {@code after} is null the reply also sizes up the whole partition.
     * Reply: {@link PartitionEntries}.
     */
    record PartitionRead(PartitionRange range, StorageKey after, int maxKeys, int maxBytes) implements PeerRequest {
        public PartitionRead {
            Objects.requireNonNull(range, "range");
            if (after != null && !range.contains(after.position())) {
                throw new IllegalArgumentException("the cursor " + after + " is not in " + range);
            }
            if (maxKeys < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("a batch needs room for a key, got " + maxKeys + " keys, "
                        + maxBytes + " bytes");
            }
        }
    }

    /**
     * A batch of a partition's entries in key order, each as stored: the {@link StorageKey} form and
     * the stored {@link VersionedValue} form. {@code unsent}: entries of the same stretch of keys too large
     * to send in any message, which the receiver reports rather than asks for again and again.
     * {@code exhausted} when no entry follows the last one (sent or not); {@code estimate} when the
     * request asked for it, else null.
     */
    record PartitionEntries(List<Entry> entries, List<Unsent> unsent, boolean exhausted, Estimate estimate)
            implements Message {
        public PartitionEntries {
            entries = List.copyOf(entries);
            unsent = List.copyOf(unsent);
        }

        /** The key of an entry not sent, and the bytes of its key and value. */
        public record Unsent(byte[] key, long size) {
            public Unsent {
                Objects.requireNonNull(key, "key");
                if (size < 0) {
                    throw new IllegalArgumentException("a size cannot be negative: " + size);
                }
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Unsent other && Arrays.equals(key, other.key) && size == other.size;
            }

            @Override
            public int hashCode() {
                return 31 * Arrays.hashCode(key) + Long.hashCode(size);
            }

            @Override
            public String toString() {
                return "Unsent[" + key.length + " key bytes, " + size + " bytes]";
            }
        }

        /** One stored key and its stored value, as bytes: they are checked where they are merged. */
        public record Entry(byte[] key, byte[] value) {
            public Entry {
                Objects.requireNonNull(key, "key");
                Objects.requireNonNull(value, "value");
            }

            /** Key and value bytes: what a batch's size is counted in. */
            public int size() {
                return key.length + value.length;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Entry other && Arrays.equals(key, other.key) && Arrays.equals(value, other.value);
            }

            @Override
            public int hashCode() {
                return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
            }

            @Override
            public String toString() {
                return "Entry[" + key.length + " key bytes, " + value.length + " value bytes]";
            }
        }

        /** How many entries, and bytes of keys and values, the whole partition holds, as the source guesses. */
        public record Estimate(long keys, long bytes) {
            public Estimate {
                if (keys < 0 || bytes < 0) {
                    throw new IllegalArgumentException("an estimate cannot be negative: " + keys + " keys, " + bytes
                            + " bytes");
                }
            }
        }
    }

    // ---- Anti-entropy: replicas compare their trees of a partition (PartitionTree), then the keys of differing leaves ----

    /**
     * Asks a replica for the hashes of {@code nodes} (each below {@code 16^level}) of {@code level} of its
     * tree of {@code range}, which must have {@code depth} levels below the root. Reply: {@link TreeHashes}, or
     * {@link Failure} {@code UNAVAILABLE} while its tree of the partition is not built yet.
     */
    record TreeRead(PartitionRange range, int depth, int level, List<Integer> nodes) implements TreeRequest {
        public TreeRead {
            Objects.requireNonNull(range, "range");
            nodes = List.copyOf(nodes);
            PartitionTree.checkShape(range, depth);
            for (int node : nodes) {
                PartitionTree.checkNode(depth, level, node);
            }
        }
    }

    /** The hashes a {@link TreeRead} asked for, in its order. */
    record TreeHashes(List<Long> hashes) implements Message {
        public TreeHashes {
            hashes = List.copyOf(hashes);
        }
    }

    /**
     * Asks a replica for the keys it holds, and their {@link dev.dynamo.core.antientropy.VersionHash}es, in
     * {@code leaves} of its tree of {@code range} of {@code depth}. Reply: {@link LeafVersions}.
     */
    record LeafRead(PartitionRange range, int depth, List<Integer> leaves) implements TreeRequest {
        public LeafRead {
            Objects.requireNonNull(range, "range");
            leaves = List.copyOf(leaves);
            PartitionTree.checkShape(range, depth);
            for (int leaf : leaves) {
                PartitionTree.checkNode(depth, depth, leaf);
            }
        }
    }

    /** The keys, in key order, and their version hashes, that a {@link LeafRead} asked for. */
    record LeafVersions(List<KeyVersion> entries) implements Message {
        public LeafVersions {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The first phase of reaping tombstones: asks a replica which of {@code keys} it holds in exactly the
     * given state (the same {@link dev.dynamo.core.antientropy.VersionHash}). Reply: {@link TombstonesHeld}.
     */
    record TombstoneCheck(List<KeyVersion> keys) implements TombstoneRequest {
        public TombstoneCheck {
            keys = List.copyOf(keys);
        }
    }

    /** The entries of a {@link TombstoneCheck} that the replica holds in exactly that state, in its order. */
    record TombstonesHeld(List<KeyVersion> keys) implements Message {
        public TombstonesHeld {
            keys = List.copyOf(keys);
        }
    }

    /**
     * The second phase: tells a replica to remove each of {@code keys} whose state there is still a
     * tombstone of the given version; a key changed since stays. Reply: {@link TombstonesReaped}.
     */
    record TombstoneReap(List<KeyVersion> keys) implements TombstoneRequest {
        public TombstoneReap {
            keys = List.copyOf(keys);
        }
    }

    /** How many keys of a {@link TombstoneReap} the replica removed. */
    record TombstonesReaped(int count) implements Message {
        public TombstonesReaped {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative, got " + count);
            }
        }
    }

    // ---- Key listing: a coordinator asks one replica of each partition for a bucket's keys ----

    /**
     * Asks a replica for up to {@code maxKeys} keys of {@code bucket} live there, in unsigned byte order, each
     * after {@code after} ({@code null}: from the first), in the partitions {@code wanted} (of {@code partitions}
     * equal ones): the replica's share of a listing's coverage plan. Reply: {@link KeysListed}.
     */
    record KeysRead(String bucket, byte[] after, int partitions, List<Integer> wanted, int maxKeys)
            implements PeerRequest {
        /** The most keys one read asks for, so that a reply stays far below a frame. */
        public static final int MAX_KEYS = 10_000;

        public KeysRead {
            Objects.requireNonNull(bucket, "bucket");
            wanted = List.copyOf(wanted);
            if (partitions < 1 || wanted.stream().anyMatch(p -> p < 0 || p >= partitions)) {
                throw new IllegalArgumentException("wanted partitions must be within 0.." + (partitions - 1));
            }
            if (maxKeys < 1 || maxKeys > MAX_KEYS) {
                throw new IllegalArgumentException("maxKeys must be 1 to " + MAX_KEYS + ", got " + maxKeys);
            }
        }

        /** By the bound's bytes, so that a decoded request equals the one sent. */
        @Override
        public boolean equals(Object o) {
            return o instanceof KeysRead other && bucket.equals(other.bucket) && Arrays.equals(after, other.after)
                    && partitions == other.partitions && wanted.equals(other.wanted) && maxKeys == other.maxKeys;
        }

        @Override
        public int hashCode() {
            return Objects.hash(bucket, Arrays.hashCode(after), partitions, wanted, maxKeys);
        }
    }

    /**
     * A replica's answer to {@link KeysRead}: keys in byte order, and {@code frontier}, the last key it looked at
     * when it stopped before the end (it listed every key up to there), {@code null} when it reached the end.
     */
    record KeysListed(List<byte[]> keys, byte[] frontier) implements Message {
        public KeysListed {
            keys = List.copyOf(keys);
        }

        /** By the keys' bytes, so that a decoded reply equals the one sent. */
        @Override
        public boolean equals(Object o) {
            return o instanceof KeysListed other && Arrays.equals(keys.toArray(byte[][]::new),
                    other.keys.toArray(byte[][]::new), Arrays::compare) && Arrays.equals(frontier, other.frontier);
        }

        @Override
        public int hashCode() {
            return 31 * keys.stream().mapToInt(Arrays::hashCode).sum() + Arrays.hashCode(frontier);
        }
    }
}
