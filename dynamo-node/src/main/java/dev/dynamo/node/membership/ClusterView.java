package dev.dynamo.node.membership;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** This node as a member, and the ring it currently follows: the one place holding that reference. */
public final class ClusterView {

    private final Member self;
    private final AtomicReference<Ring> ring = new AtomicReference<>();

    public ClusterView(Member self) {
        this.self = self;
    }

    /** This node. */
    public Member self() {
        return self;
    }

    /** The current ring, or empty while the cluster is still forming. */
    public Optional<Ring> ring() {
        return Optional.ofNullable(ring.get());
    }

    /** The current ring. @throws ClusterUnavailableException while the cluster is still forming */
    public Ring requireRing() {
        return ring().orElseThrow(() -> new ClusterUnavailableException(
                "the cluster is still forming: this node has not got a ring yet"));
    }

    /** Follows {@code next} from now on. */
    public void install(Ring next) {
        ring.set(next);
    }
}
