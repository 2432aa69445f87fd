package dev.dynamo.node.actuator;

import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.antientropy.PartitionTrees;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.bucket.ReplicationProperties;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.transfer.Transfers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ring endpoint and the ring's health. */
@Configuration(proxyBeanMethods = false)
class ActuatorConfiguration {

    @Bean
    RingEndpoint ringEndpoint(ClusterView cluster, FailureDetector detector, RequestCoordinator coordinator,
            Transfers transfers, AntiEntropyJob antiEntropy, PartitionTrees trees, ReplicationProperties properties) {
        return new RingEndpoint(cluster, detector, coordinator, transfers, antiEntropy, trees.tombstones(),
                properties.defaults().n());
    }

    @Bean
    RingHealthIndicator ringHealthIndicator(ClusterView cluster, FailureDetector detector, BucketPolicies policies) {
        return new RingHealthIndicator(cluster, detector, policies.defaults().n(), policies.defaults().w());
    }
}
