package dev.dynamo.core.membership;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claimant's part of membership changes (as in riak_core): one node, the first member of the
 * ring by id whose status is UP, turns operators' requests into rings, so that two nodes never
 * publish different rings of one version.
 *
 * <p>A change goes: operators mark members JOINING or LEAVING; the claimant publishes the next ring
 * (joiners added, leavers removed, partitions re-claimed with minimal movement); every node copies
 * what the next ring gives it and says it is ready; once all are, the claimant makes the next ring
 * the ring, the joiners UP and the leavers REMOVED. A request made while a change is under way
 * (another join, or the removal of a node that died before it could copy its share) replaces the
 * next ring by a newer one with every request applied, so a change never waits on a node an
 * operator has given up on. Each step is a pure function of the view, so any node can be the
 * claimant after the last one failed, and replaying a step changes nothing.
 */
public final class Claimant {

    private Claimant() {
    }

    /** The claimant of a view; empty while there is no ring or no UP member in it. */
    public static Optional<String> of(MembershipView view) {
        return view.ring().flatMap(ring -> ring.members().stream().map(Member::id)
                .filter(id -> view.member(id).map(e -> e.status() == MemberStatus.UP).orElse(false))
                .findFirst());
    }

    /**
     * What the claimant {@code self} adds to the view now, for replicas of {@code n} copies:
     * either the view itself (nothing to do) or a view to merge into it.
     */
    public static MembershipView step(MembershipView view, String self, int n) {
        if (!of(view).equals(Optional.of(self))) {
            return view;
        }
        Ring ring = view.ring().orElseThrow();
        MembershipView settled = settleStatuses(view, ring, self);
        if (settled != view) {
            return settled;
        }
        Ring wanted = wanted(view, ring);
        if (view.next().isEmpty()) {
            return wanted == ring ? view : view.withNext(wanted);
        }
        Ring next = view.next().orElseThrow();
        if (!ids(wanted).equals(ids(next))) {
            return view.withNext(Ring.of(wanted.partitions(), next.version() + 1, wanted.members(), wanted.owners()));
        }
        return install(view, ring, next, n);
    }

    /** Members whose status the ring already reflects: joiners in it become UP, leavers out of it REMOVED. */
    private static MembershipView settleStatuses(MembershipView view, Ring ring, String self) {
        MembershipView settled = view;
        for (MemberEntry entry : view.members().values()) {
            boolean inRing = view.ringContains(entry.id());
            if (entry.status() == MemberStatus.JOINING && inRing) {
                settled = settled.with(entry.changed(entry.member(), MemberStatus.UP, self));
            } else if (entry.status() == MemberStatus.LEAVING && !inRing && !inNext(view, entry.id())) {
                settled = settled.with(entry.changed(entry.member(), MemberStatus.REMOVED, self));
            }
        }
        return settled;
    }

    /** The ring with every request applied: {@code ring} itself when there is none. */
    private static Ring wanted(MembershipView view, Ring ring) {
        Ring next = ring;
        for (MemberEntry entry : view.members().values()) {
            boolean inRing = next.members().stream().anyMatch(m -> m.id().equals(entry.id()));
            if (entry.status() == MemberStatus.JOINING && !inRing) {
                next = next.withMember(entry.member());
            } else if (entry.status() == MemberStatus.LEAVING && inRing && next.members().size() > 1) {
                next = next.withoutMember(entry.id());
            }
        }
        return next;
    }

    private static List<String> ids(Ring ring) {
        return ring.members().stream().map(Member::id).toList();
    }

    /** The next ring as the ring, once every node it gives partitions to has copied them. */
    private static MembershipView install(MembershipView view, Ring ring, Ring next, int n) {
        RingChange change = new RingChange(ring, next);
        List<Member> waitingFor = next.members().stream()
                .filter(m -> !change.incoming(m.id(), n).isEmpty())
                .filter(m -> !view.isReady(m.id(), next.version()))
                .toList();
        if (!waitingFor.isEmpty()) {
            return view;
        }
        return view.merge(MembershipView.of(view.cluster(), List.of(), Map.of(), next));
    }

    private static boolean inNext(MembershipView view, String id) {
        return view.next().map(next -> next.members().stream().anyMatch(m -> m.id().equals(id))).orElse(false);
    }
}
