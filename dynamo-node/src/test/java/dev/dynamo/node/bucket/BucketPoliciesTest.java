package dev.dynamo.node.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.version.ConflictPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketPoliciesTest {

    @Test
    void namedBucketsOverrideDefaultsFieldByField() {
        BucketPolicies policies = new BucketPolicies(new ReplicationProperties(new ReplicationProperties.Quorum(3, 2, 2, Duration.ofSeconds(2), Duration.ofMillis(20)),
                Map.of("carts", new ReplicationProperties.Bucket(5, null, 3, "LWW", null),
                        "sessions", new ReplicationProperties.Bucket(null, null, null, "siblings", Duration.ofMinutes(30)))));
        assertThat(policies.of("carts")).isEqualTo(new BucketPolicy(5, 2, 3, ConflictPolicy.LWW));
        assertThat(policies.of("sessions").ttl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(policies.of("other")).isEqualTo(new BucketPolicy(3, 2, 2, ConflictPolicy.SIBLINGS));
    }

    @Test
    void impossibleSettingsFailAtStartUpNamingTheProperty() {
        assertThatThrownBy(() -> new BucketPolicies(new ReplicationProperties(new ReplicationProperties.Quorum(3, 2, 2, Duration.ofSeconds(2), Duration.ofMillis(20)),
                Map.of("carts", new ReplicationProperties.Bucket(2, 3, null, "siblings", null)))))
                .hasMessageContaining("invalid dynamo.buckets.carts").hasMessageContaining("r=3");
        assertThatThrownBy(() -> new BucketPolicies(new ReplicationProperties(new ReplicationProperties.Quorum(3, 2, 2, Duration.ofSeconds(2), Duration.ofMillis(20)),
                Map.of("carts", new ReplicationProperties.Bucket(null, null, null, "newest", null)))))
                .hasMessageContaining("conflict must be 'siblings' or 'lww'");
        assertThatThrownBy(() -> new BucketPolicies(new ReplicationProperties(new ReplicationProperties.Quorum(3, 2, 2, Duration.ofSeconds(2), Duration.ofMillis(20)),
                Map.of("carts", new ReplicationProperties.Bucket(null, null, null, "siblings", Duration.ZERO)))))
                .hasMessageContaining("invalid dynamo.buckets.carts").hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> new BucketPolicies(new ReplicationProperties(new ReplicationProperties.Quorum(0, 1, 1, Duration.ofSeconds(2), Duration.ofMillis(20)), null)))
                .hasMessageContaining("invalid dynamo.defaults");
    }
}
