package dev.dynamo.node.actuator;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.peer.FailureDetector;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The ring's health: DOWN while the cluster is still forming or this node is not a member yet (no
 * request can be served); DEGRADED (still answering 200) when some partition has fewer than W
 * replicas this node can reach, so writes to its keys need stand-ins; UP otherwise. The members
 * this node cannot reach are listed.
 */
public class RingHealthIndicator implements HealthIndicator {

    /** Serving, but some partitions cannot reach a write quorum of their own replicas. */
    public static final Status DEGRADED = new Status("DEGRADED");

    private final ClusterView cluster;
    private final FailureDetector detector;
    private final int n;
    private final int w;

    /** @param n replicas and @param w write quorum of the default bucket policy */
    public RingHealthIndicator(ClusterView cluster, FailureDetector detector, int n, int w) {
        this.cluster = cluster;
        this.detector = detector;
        this.n = n;
        this.w = w;
    }

    @Override
    public Health health() {
        Ring ring = cluster.ring().orElse(null);
        if (ring == null) {
            return Health.down().withDetail("reason", "the cluster is still forming").build();
        }
        if (!cluster.isMember()) {
            return Health.down().withDetail("cluster", cluster.view().cluster())
                    .withDetail("reason", "this node is not a member of the cluster yet: an operator adds it").build();
        }
        List<String> unreachable = ring.members().stream().map(Member::id)
                .filter(id -> !id.equals(cluster.self().id()) && !detector.isAvailable(id)).toList();
        int quorum = Math.min(w, ring.members().size());
        long degraded = IntStream.range(0, ring.partitions())
                .filter(p -> ring.preferenceList(ring.partitionStart(p), n).stream()
                        .filter(m -> !unreachable.contains(m.id())).count() < quorum)
                .count();
        return Health.status(degraded > 0 ? DEGRADED : Status.UP).withDetail("cluster", cluster.view().cluster())
                .withDetail("members", ring.members().size()).withDetail("partitions", ring.partitions())
                .withDetail("version", ring.version()).withDetail("unreachable", unreachable)
                .withDetail("partitionsBelowWriteQuorum", degraded).build();
    }
}
