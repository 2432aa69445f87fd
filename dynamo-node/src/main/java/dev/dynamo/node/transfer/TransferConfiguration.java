package dev.dynamo.node.transfer;

import dev.dynamo.node.coordination.BucketPolicies;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transport.Transport;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The source side of partition transfers, and this node's own transfers, resumed at start-up. */
@Configuration(proxyBeanMethods = false)
class TransferConfiguration {

    @Bean
    PartitionSource partitionSource(StorageEngine engine, Scheduler scheduler) {
        return new PartitionSource(engine, scheduler);
    }

    @Bean(initMethod = "resume", destroyMethod = "stop")
    Transfers transfers(ClusterView cluster, StorageEngine engine, VersionedStore store, BucketPolicies policies,
            Transport transport, Scheduler scheduler, InstantSource clock, TransferProperties properties) {
        return new Transfers(cluster, engine, store, bucket -> policies.of(bucket).conflict(), transport, scheduler,
                clock, properties);
    }
}
