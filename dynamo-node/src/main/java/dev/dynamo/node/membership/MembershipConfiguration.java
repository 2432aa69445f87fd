package dev.dynamo.node.membership;

import dev.dynamo.core.ring.Member;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.transport.Transport;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Random;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's identity, the view it follows, how it judges its peers, gossip and the cluster's formation. */
@Configuration(proxyBeanMethods = false)
class MembershipConfiguration {

    /** How long a peer that failed a request is skipped at first; doubled per consecutive failure, up to the ceiling. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Bean
    NodeIdentity nodeIdentity(StorageEngine engine, NodeProperties properties) {
        return NodeIdentity.load(engine, properties);
    }

    @Bean
    ClusterView clusterView(NodeIdentity identity, Transport transport) {
        return new ClusterView(new Member(identity.id(), transport.localAddress(), identity.zone()));
    }

    @Bean
    FailureDetector failureDetector(InstantSource clock, GossipProperties gossip) {
        return new PhiAccrualFailureDetector(clock, gossip.phiThreshold(), gossip.interval(), FIRST_BACKOFF, MAX_BACKOFF);
    }

    @Bean
    MembershipStore membershipStore(StorageEngine engine) {
        return new MembershipStore(engine);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    Gossiper gossiper(ClusterView cluster, Transport transport, FailureDetector detector, Scheduler scheduler,
            InstantSource clock, SeedProvider seeds, MembershipStore store, GossipProperties properties) {
        // unpredictable here; the simulation seeds its own
        Random random = new Random(new SecureRandom().nextLong());
        return new Gossiper(cluster, transport, detector, scheduler, clock, random, seeds, store, properties);
    }

    @Bean
    MembershipChanges membershipChanges(ClusterView cluster, Gossiper gossiper, Transport transport) {
        return new MembershipChanges(cluster, gossiper, transport);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    StaticClusterFormation staticClusterFormation(ClusterView cluster, Transport transport, Scheduler scheduler,
            SeedProvider seeds, Gossiper gossiper, ClusterProperties properties) {
        return new StaticClusterFormation(cluster, transport, scheduler, seeds, properties.partitions(), gossiper);
    }
}
