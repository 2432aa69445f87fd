package dev.dynamo.node.antientropy;

import dev.dynamo.node.coordination.BucketPolicies;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.membership.ClusterProperties;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Rounds;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transfer.Transfers;
import dev.dynamo.node.transport.Transport;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The partition trees (which the versioned store tells of every change), the exchange job (which also
 * asks the transfers whether a partition this node receives in a ring change is copied) and the
 * tombstone reaper.
 */
@Configuration(proxyBeanMethods = false)
class AntiEntropyConfiguration {

    @Bean(initMethod = "start")
    PartitionTrees partitionTrees(StorageEngine engine, Scheduler scheduler, ClusterProperties cluster,
            AntiEntropyProperties properties, DynamoMetrics metrics) {
        PartitionTrees trees = new PartitionTrees(engine, scheduler, cluster.partitions(), properties.treeDepth(),
                metrics);
        metrics.tombstonesHeld(trees.tombstones()::held);
        return trees;
    }

    @Bean
    AntiEntropyJob antiEntropyJob(PartitionTrees trees, ClusterView cluster, Transport transport, VersionedStore store,
            RequestCoordinator coordinator, BucketPolicies policies, Transfers transfers, Scheduler scheduler,
            InstantSource clock, AntiEntropyProperties properties, DynamoMetrics metrics) {
        return new AntiEntropyJob(trees, cluster, transport, store, coordinator.repairs(),
                bucket -> policies.of(bucket).conflict(), scheduler, properties.interval(), policies.maxN(),
                properties.maxKeysPerSecond(),
                new AdmissionControl("anti-entropy", properties.maxForegroundLatency(), metrics::recentRequestLatency),
                transfers::isComplete, clock, metrics);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    Rounds antiEntropyRounds(AntiEntropyJob job, Scheduler scheduler, AntiEntropyProperties properties) {
        return new Rounds("anti-entropy", scheduler, properties.interval(), job::exchangeOnce);
    }

    @Bean
    TombstoneReaper tombstoneReaper(PartitionTrees trees, ClusterView cluster, Transport transport,
            VersionedStore store, BucketPolicies policies, Scheduler scheduler, InstantSource clock,
            AntiEntropyProperties properties, DynamoMetrics metrics) {
        return new TombstoneReaper(trees.tombstones(), cluster, transport, store, scheduler, policies.maxN(), properties.tombstoneGrace(), properties.reapBatch(),
                new AdmissionControl("tombstone reaping", properties.maxForegroundLatency(), metrics::recentRequestLatency),
                clock, metrics);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    Rounds tombstoneReapingRounds(TombstoneReaper reaper, Scheduler scheduler, AntiEntropyProperties properties) {
        return new Rounds("tombstone reaping", scheduler, properties.interval(), reaper::reapOnce);
    }
}
