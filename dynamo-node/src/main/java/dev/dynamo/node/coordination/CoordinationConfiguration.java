package dev.dynamo.node.coordination;

import dev.dynamo.node.antientropy.PartitionTrees;
import dev.dynamo.node.antientropy.TombstoneReaper;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.FailureDetector;
import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transfer.PartitionSource;
import dev.dynamo.node.transport.Transport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the request coordinator, the per-bucket settings and the service peers call. */
@Configuration(proxyBeanMethods = false)
class CoordinationConfiguration {

    @Bean
    BucketPolicies bucketPolicies(ReplicationProperties properties) {
        return new BucketPolicies(properties);
    }

    @Bean
    RequestCoordinator requestCoordinator(ClusterView cluster, BucketPolicies policies, VersionedStore store,
            HintStore hints, Transport transport, FailureDetector detector, Scheduler scheduler,
            ReplicationProperties properties, DynamoMetrics metrics) {
        return new RequestCoordinator(cluster, policies, store, hints, transport, detector, scheduler,
                properties.defaults().timeout(), metrics);
    }

    @Bean
    ReplicaService replicaService(ClusterView cluster, RequestCoordinator coordinator, PartitionSource partitions,
            Gossiper gossiper, PartitionTrees trees, TombstoneReaper reaper) {
        return new ReplicaService(cluster, coordinator, partitions, gossiper, trees, reaper);
    }
}
