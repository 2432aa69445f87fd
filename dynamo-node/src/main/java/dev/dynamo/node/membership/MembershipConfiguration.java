package dev.dynamo.node.membership;

import dev.dynamo.core.ring.Member;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.transport.Transport;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's identity, the ring it follows, and how it judges its peers. */
@Configuration(proxyBeanMethods = false)
class MembershipConfiguration {

    @Bean
    NodeIdentity nodeIdentity(StorageEngine engine, NodeProperties properties) {
        return NodeIdentity.load(engine, properties);
    }

    @Bean
    ClusterView clusterView(NodeIdentity identity, Transport transport) {
        return new ClusterView(new Member(identity.id(), transport.localAddress(), identity.zone()));
    }

    @Bean
    FailureDetector failureDetector(InstantSource clock) {
        return new BackoffFailureDetector(clock, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    StaticClusterFormation staticClusterFormation(ClusterView cluster, Transport transport, StorageEngine engine,
            Scheduler scheduler, ClusterProperties properties) {
        return new StaticClusterFormation(cluster, transport, engine, scheduler, properties.seeds(),
                properties.partitions());
    }
}
