package dev.dynamo.node.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.peer.FailureDetector;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class RingHealthIndicatorTest {

    private final List<Member> members = List.of(new Member("a", "a:1", "z"), new Member("b", "b:1", "z"),
            new Member("c", "c:1", "z"));
    private final Set<String> down = new HashSet<>();
    private final ClusterView cluster = new ClusterView(members.getFirst());
    private final RingHealthIndicator indicator = new RingHealthIndicator(cluster, new FailureDetector() {
        @Override
        public boolean isAvailable(String id) {
            return !down.contains(id);
        }

        @Override
        public void succeeded(String id) {
        }

        @Override
        public void failed(String id) {
        }

        @Override
        public void heartbeat(String id, long generation) {
        }
    }, 3, 2);

    @Test
    void downWhileFormingUpWithAQuorumEverywhereDegradedWhenSomePartitionHasNone() {
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        cluster.merge(MembershipView.formed(Ring.create(16, members)));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        down.add("b");
        Health oneDown = indicator.health();
        assertThat(oneDown.getStatus()).as("two of three replicas still make W=2").isEqualTo(Status.UP);
        assertThat(oneDown.getDetails()).containsEntry("unreachable", List.of("b"));

        down.add("c");
        Health twoDown = indicator.health();
        assertThat(twoDown.getStatus()).isEqualTo(RingHealthIndicator.DEGRADED);
        assertThat(twoDown.getDetails()).containsEntry("partitionsBelowWriteQuorum", 16L);
    }
}
