package dev.dynamo.core.ring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A membership change in progress: the ring in force and the ring it moves to. Until every replica
 * the next ring adds has copied its partitions, reads use the current ring and writes go to the
 * current replicas and the pending ones.
 *
 * <p>Why writes wait for W plus the pending replicas (as Cassandra does for pending ranges): of
 * those acknowledgements at most "pending" come from replicas the next ring drops, so at least W
 * come from the replicas of the next ring, and no acknowledged write falls below W copies when
 * the next ring takes over and the dropped replicas delete their data.
 */
public record RingChange(Ring current, Ring next) {

    /** Validates that both rings split the same space and the next one is newer. */
    public RingChange {
        if (current.partitions() != next.partitions()) {
            throw new IllegalArgumentException("a ring change cannot change the partition count: "
                    + current.partitions() + " to " + next.partitions());
        }
        if (next.version() <= current.version()) {
            throw new IllegalArgumentException("the next ring (version " + next.version()
                    + ") must be newer than the current one (version " + current.version() + ")");
        }
    }

    /** The replicas the next ring adds to a partition: they receive its data before the switch. */
    public List<Member> pendingReplicas(int partition, int n) {
        Set<String> now = ids(replicas(current, partition, n));
        return replicas(next, partition, n).stream().filter(m -> !now.contains(m.id())).toList();
    }

    /**
     * The partitions member {@code id} must copy before the change completes, in partition order,
     * each with the current replicas that hold it (the sources to copy from, in preference order).
     */
    public Map<Integer, List<Member>> incoming(String id, int n) {
        Map<Integer, List<Member>> incoming = new LinkedHashMap<>();
        for (int p = 0; p < current.partitions(); p++) {
            if (ids(pendingReplicas(p, n)).contains(id)) {
                incoming.put(p, replicas(current, p, n));
            }
        }
        return incoming;
    }

    private static List<Member> replicas(Ring ring, int partition, int n) {
        return ring.preferenceList(ring.partitionStart(partition), n);
    }

    private static Set<String> ids(List<Member> members) {
        Set<String> ids = new TreeSet<>();
        members.forEach(m -> ids.add(m.id()));
        return ids;
    }
}
