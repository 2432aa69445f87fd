package dev.dynamo.node.console;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingChange;

/**
 * What removing a member would move, for the console's confirmation: computed on the ring as this
 * node follows it, with the same claim the removal itself uses ({@link Ring#withoutMember}).
 *
 * @param node                     the member to remove
 * @param partitionsOwned          partitions it owns now
 * @param partitionsChangingOwner  partitions whose owner changes
 * @param replicaCopies            partition replicas that other nodes must copy (at the default N)
 * @param bytesPerReplica          this node's storage size over the partitions it replicates: the estimate of one
 *                                 replica's size, null when this node replicates none
 * @param estimatedBytes           {@code replicaCopies * bytesPerReplica}, null when that is unknown
 */
public record RemovalPreview(String node, int partitionsOwned, int partitionsChangingOwner, int replicaCopies,
        Long bytesPerReplica, Long estimatedBytes) {

    /**
     * The preview of removing {@code id} from {@code ring}, with {@code n} replicas per partition,
     * estimating sizes from this node ({@code self}) holding {@code bytesHere}. A member the ring does
     * not hold yet (one still joining) moves nothing.
     *
     * @throws IllegalArgumentException when {@code id} is the ring's last member
     */
    public static RemovalPreview of(Ring ring, String id, int n, String self, long bytesHere) {
        int replicated = 0;
        for (int p = 0; p < ring.partitions(); p++) {
            if (ring.preferenceList(ring.partitionStart(p), n).stream().map(Member::id).anyMatch(self::equals)) {
                replicated++;
            }
        }
        Long perReplica = replicated == 0 ? null : bytesHere / replicated;
        if (ring.members().stream().noneMatch(m -> m.id().equals(id))) {
            return new RemovalPreview(id, 0, 0, 0, perReplica, perReplica == null ? null : 0L);
        }
        Ring next = ring.withoutMember(id);
        RingChange change = new RingChange(ring, next);
        int changingOwner = 0;
        int copies = 0;
        for (int p = 0; p < ring.partitions(); p++) {
            if (!ring.owner(p).equals(next.owner(p))) {
                changingOwner++;
            }
            copies += change.pendingReplicas(p, n).size();
        }
        return new RemovalPreview(id, ring.ownedCounts().getOrDefault(id, 0), changingOwner, copies, perReplica,
                perReplica == null ? null : copies * perReplica);
    }
}
