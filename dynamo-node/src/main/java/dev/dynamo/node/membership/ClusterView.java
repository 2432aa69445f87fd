package dev.dynamo.node.membership;

import dev.dynamo.core.membership.MemberStatus;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node as a member, and the membership view it currently follows (members, heartbeats, ring):
 * the one place holding that reference. Views only ever grow by {@link #merge}, atomically.
 *
 * <p>A node serves data only while it is a member of the ring: before it has a ring (the cluster
 * is forming) and while the ring it learned does not list it (it waits for an operator to add it),
 * {@link #requireRing} refuses.
 */
public final class ClusterView {

    private final Member self;
    private final AtomicReference<Current> current = new AtomicReference<>(new Current(MembershipView.EMPTY, false));

    /** The view and whether its ring lists this node, computed once per view rather than per request. */
    private record Current(MembershipView view, boolean member) {
    }

    /** What a {@link #merge} changed: the views before and after, and this node's ring membership in each. */
    public record Change(MembershipView before, MembershipView after, boolean wasMember, boolean isMember) {

        public boolean changed() {
            return before != after;
        }
    }

    public ClusterView(Member self) {
        this.self = self;
    }

    /** This node. */
    public Member self() {
        return self;
    }

    /** The membership view as this node knows it now. */
    public MembershipView view() {
        return current.get().view();
    }

    /** The current ring, whether this node is in it or not; empty while the cluster is still forming. */
    public Optional<Ring> ring() {
        return view().ring();
    }

    /** Whether this node is a member of the current ring, so serves data. */
    public boolean isMember() {
        return current.get().member();
    }

    /**
     * The current ring, for serving a request.
     *
     * @throws ClusterUnavailableException while the cluster is still forming, or this node is not a member yet
     */
    public Ring requireRing() {
        Current now = current.get();
        if (now.member()) {
            return now.view().ring().orElseThrow();
        }
        if (now.view().ring().isEmpty()) {
            throw new ClusterUnavailableException("the cluster is still forming: this node has not got a ring yet");
        }
        boolean left = now.view().member(self.id())
                .map(e -> e.status() == MemberStatus.LEAVING || e.status() == MemberStatus.REMOVED).orElse(false);
        throw new ClusterUnavailableException(left
                ? "this node was removed from the cluster: it serves no data unless an operator adds it again"
                : "this node is not a member of the cluster yet: it serves no data until an operator adds it");
    }

    /** Merges {@code incoming} into the view. @throws IllegalArgumentException when it is of another cluster */
    public Change merge(MembershipView incoming) {
        while (true) {
            Current before = current.get();
            MembershipView merged = before.view().merge(incoming);
            if (merged == before.view()) {
                return new Change(merged, merged, before.member(), before.member());
            }
            boolean sameRing = merged.ring().orElse(null) == before.view().ring().orElse(null);
            boolean member = sameRing ? before.member() : merged.ringContains(self.id());
            if (current.compareAndSet(before, new Current(merged, member))) {
                return new Change(before.view(), merged, before.member(), member);
            }
        }
    }
}
