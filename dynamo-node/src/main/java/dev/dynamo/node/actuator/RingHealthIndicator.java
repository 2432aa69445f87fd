package dev.dynamo.node.actuator;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.FailureDetector;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The ring's health: DOWN while the cluster is still forming or this node is not a member yet (no
 * request can be served), UP once it serves, with the members this node currently cannot reach listed.
 */
public class RingHealthIndicator implements HealthIndicator {

    private final ClusterView cluster;
    private final FailureDetector detector;

    public RingHealthIndicator(ClusterView cluster, FailureDetector detector) {
        this.cluster = cluster;
        this.detector = detector;
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
        return Health.up().withDetail("cluster", cluster.view().cluster()).withDetail("members", ring.members().size()).withDetail("partitions", ring.partitions())
                .withDetail("version", ring.version()).withDetail("unreachable", unreachable).build();
    }
}
