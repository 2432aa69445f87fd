package dev.dynamo.node.actuator;

import dev.dynamo.core.key.KeyNames;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.Sibling;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.antientropy.AntiEntropyJob.LastExchange;
import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.antientropy.TombstoneIndex;
import dev.dynamo.node.coordination.RequestCoordinator.ReplicaState;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.transfer.TransferProgress;
import dev.dynamo.node.transfer.Transfers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/ring}: the members with their status and reachability, who owns what, each
 * partition's preference list and this node's last anti-entropy exchange of it, and the partitions
 * this node is pulling; and
 * {@code /actuator/ring/{bucket}/{key}}: a key's partition, preference list and every replica's
 * versions as that replica holds them (asked over the network, so a stale replica shows as stale).
 */
@Endpoint(id = "ring")
public class RingEndpoint {

    /** Values up to this size are shown inline (base64); larger ones by size only. */
    private static final int INLINE_VALUE_BYTES = 1024;

    private final ClusterView cluster;
    private final FailureDetector detector;
    private final RequestCoordinator coordinator;
    private final Transfers transfers;
    private final AntiEntropyJob antiEntropy;
    private final TombstoneIndex tombstones;
    private final int defaultN;

    public RingEndpoint(ClusterView cluster, FailureDetector detector, RequestCoordinator coordinator,
            Transfers transfers, AntiEntropyJob antiEntropy, TombstoneIndex tombstones, int defaultN) {
        this.cluster = cluster;
        this.detector = detector;
        this.coordinator = coordinator;
        this.transfers = transfers;
        this.antiEntropy = antiEntropy;
        this.tombstones = tombstones;
        this.defaultN = defaultN;
    }

    /**
     * The ring as this node follows it: its cluster ({@code ""} before it formed or learned one),
     * whether it has a ring and is a member of it, the members of its membership view, and the
     * partitions this node pulls from other replicas.
     */
    public record RingView(String self, String cluster, boolean formed, boolean member, long version, int partitions,
            List<MemberView> members, List<PartitionView> preferenceLists, List<TransferProgress> transfers) {
    }

    /**
     * A member: its status in the membership view ({@code joining}, {@code up}, {@code leaving},
     * {@code removed}), this node's opinion of it ({@code self}, {@code reachable}, {@code unreachable}),
     * and how many partitions it owns.
     */
    public record MemberView(String id, String address, String zone, String status, String reachability,
            int partitionsOwned) {
    }

    /**
     * A partition's owner, its preference list at the default N, the last anti-entropy exchange
     * this node started of it (null before the first), and how many of its keys this node holds as
     * tombstones only, not reaped yet.
     */
    public record PartitionView(int partition, String owner, List<String> preferenceList,
            LastExchange lastExchange, int tombstones) {
    }

    /** A key and its replicas' versions. */
    public record KeyView(String bucket, String key, int partition, String position, List<String> preferenceList,
            List<ReplicaView> replicas) {
    }

    /** One replica's versions of a key, or the error it gave. */
    public record ReplicaView(String node, String address, String error, Map<String, Long> clock,
            List<SiblingView> siblings) {
    }

    /** One version: its dot, metadata (expiresAt: epoch milliseconds, or null when it does not expire), and the value inline when small. */
    public record SiblingView(String dot, String contentType, long timestamp, boolean tombstone, Long expiresAt,
            int size, String valueBase64) {
    }

    @ReadOperation
    public RingView ring() {
        MembershipView view = cluster.view();
        Ring ring = view.ring().orElse(null);
        Map<String, Integer> owned = ring == null ? Map.of() : ring.ownedCounts();
        List<MemberView> members = view.members().values().stream().map(e -> new MemberView(e.id(),
                e.member().address(), e.member().zone(), e.status().name().toLowerCase(Locale.ROOT), reachability(e.id()),
                owned.getOrDefault(e.id(), 0))).toList();
        if (ring == null) {
            return new RingView(cluster.self().id(), view.cluster(), false, false, 0, 0, members, List.of(),
                    transfers.progress());
        }
        Map<Integer, LastExchange> exchanges = antiEntropy.lastExchanges();
        List<PartitionView> lists = IntStream.range(0, ring.partitions()).mapToObj(p -> new PartitionView(p,
                ring.owner(p), ids(ring.preferenceList(ring.partitionStart(p), defaultN)), exchanges.get(p),
                tombstones.held(p))).toList();
        return new RingView(cluster.self().id(), view.cluster(), true, cluster.isMember(), ring.version(),
                ring.partitions(), members, lists, transfers.progress());
    }

    @ReadOperation
    public KeyView key(@Selector String bucket, @Selector(match = Match.ALL_REMAINING) String... key) {
        StorageKey storageKey;
        try {
            storageKey = StorageKey.of(KeyNames.requireValidBucket(bucket),
                    KeyNames.requireValidKey(String.join("/", key).getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        }
        Ring ring = cluster.requireRing();
        int n = coordinator.policy(bucket).n();
        List<ReplicaView> replicas = coordinator.replicaStates(storageKey).join().stream().map(RingEndpoint::view).toList();
        return new KeyView(bucket, KeyNames.printable(storageKey.key()), ring.partitionOf(storageKey.position()),
                HexFormat.of().toHexDigits(storageKey.position()), ids(ring.preferenceList(storageKey.position(), n)),
                replicas);
    }

    private String reachability(String id) {
        if (id.equals(cluster.self().id())) {
            return "self";
        }
        return detector.isAvailable(id) ? "reachable" : "unreachable";
    }

    private static List<String> ids(List<Member> members) {
        return members.stream().map(Member::id).toList();
    }

    private static ReplicaView view(ReplicaState state) {
        Member m = state.replica();
        if (state.error() != null) {
            return new ReplicaView(m.id(), m.address(), state.error(), Map.of(), List.of());
        }
        VersionedValue value = state.value();
        return new ReplicaView(m.id(), m.address(), null, value.clock().entries(),
                value.siblings().stream().map(RingEndpoint::view).toList());
    }

    private static SiblingView view(Sibling sibling) {
        byte[] value = sibling.content().value();
        long expiresAt = sibling.content().expiresAt();
        return new SiblingView(sibling.dot().toString(), sibling.content().contentType(), sibling.content().timestamp(),
                sibling.content().tombstone(), expiresAt == Content.NEVER ? null : expiresAt, value.length,
                value.length <= INLINE_VALUE_BYTES ? Base64.getEncoder().encodeToString(value) : null);
    }
}
