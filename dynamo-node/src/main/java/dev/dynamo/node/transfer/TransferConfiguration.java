package dev.dynamo.node.transfer;

import dev.dynamo.node.coordination.BucketPolicies;
import dev.dynamo.node.coordination.ReplicationProperties;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.FailureDetector;
import dev.dynamo.node.membership.GossipProperties;
import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transport.Transport;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The source side of partition transfers, this node's own transfers (resumed at start-up), and the rounds that drive them as the ring changes. */
@Configuration(proxyBeanMethods = false)
class TransferConfiguration {

    @Bean
    PartitionSource partitionSource(StorageEngine engine, Scheduler scheduler) {
        return new PartitionSource(engine, scheduler);
    }

    @Bean(initMethod = "resume", destroyMethod = "stop")
    Transfers transfers(ClusterView cluster, StorageEngine engine, VersionedStore store, BucketPolicies policies,
            Transport transport, Scheduler scheduler, InstantSource clock, TransferProperties properties,
            DynamoMetrics metrics) {
        return new Transfers(cluster, engine, store, bucket -> policies.of(bucket).conflict(), transport, scheduler,
                clock, properties,
                new AdmissionControl("transfers", properties.maxForegroundLatency(), metrics::recentRequestLatency));
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    OwnershipHandoff ownershipHandoff(ClusterView cluster, Gossiper gossiper, Transfers transfers,
            FailureDetector detector, Scheduler scheduler, InstantSource clock, GossipProperties gossip,
            ReplicationProperties replication, BucketPolicies policies) {
        return new OwnershipHandoff(cluster, gossiper, transfers, detector, scheduler, clock, gossip.interval(),
                replication.defaults().timeout(), policies.maxN());
    }
}
