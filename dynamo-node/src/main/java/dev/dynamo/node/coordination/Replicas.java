package dev.dynamo.node.coordination;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingChange;
import dev.dynamo.node.peer.FailureDetector;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The replicas of one key as one request sees them: the N primaries of its preference list, the
 * replicas a ring change under way adds (pending: they get every write until the change completes),
 * and the healthy nodes after the primaries that can stand in for one that is down (sloppy quorum),
 * each used at most once. Not thread-safe: one request's state, guarded by that request.
 */
final class Replicas {

    private final List<Member> primaries;
    private final List<Member> pending;
    private final Deque<Member> standIns = new ArrayDeque<>();
    private final FailureDetector detector;

    /** @param next the ring a change under way moves to, or null */
    Replicas(Ring ring, Ring next, long position, int n, FailureDetector detector) {
        List<Member> extended = ring.extendedPreferenceList(position);
        this.primaries = extended.subList(0, Math.min(n, extended.size()));
        this.pending = next == null || next.version() <= ring.version() ? List.of()
                : new RingChange(ring, next).pendingReplicas(ring.partitionOf(position), n);
        extended.subList(primaries.size(), extended.size()).stream()
                .filter(m -> pending.stream().noneMatch(p -> p.id().equals(m.id())))
                .forEach(standIns::add);
        this.detector = detector;
    }

    /** The N nodes that own the key (fewer when the ring has fewer members). */
    List<Member> primaries() {
        return primaries;
    }

    /** The replicas a ring change under way adds; empty when none is under way. */
    List<Member> pending() {
        return pending;
    }

    /** Whether the failure detector deems {@code member} worth asking now. */
    boolean isAvailable(Member member) {
        return detector.isAvailable(member.id());
    }

    /** The next stand-in the failure detector deems available, or null when none is left. */
    Member nextStandIn() {
        while (!standIns.isEmpty()) {
            Member next = standIns.poll();
            if (isAvailable(next)) {
                return next;
            }
        }
        return null;
    }
}
