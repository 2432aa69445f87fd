package dev.dynamo.node.assembly;

import dev.dynamo.core.ring.Member;
import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.antientropy.PartitionTrees;
import dev.dynamo.node.antientropy.TombstoneIndex;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.bucket.ReplicationProperties;
import dev.dynamo.node.clientapi.ClientService;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.handoff.HandoffProperties;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.kv.KvService;
import dev.dynamo.node.kv.LimitsProperties;
import dev.dynamo.node.membership.ClusterProperties;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.GossipProperties;
import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.membership.MembershipChanges;
import dev.dynamo.node.membership.NodeIdentity;
import dev.dynamo.node.membership.NodeProperties;
import dev.dynamo.node.membership.SeedProvider;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.scheduling.Rounds;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.scheduling.Ticker;
import dev.dynamo.node.secret.ClusterSecret;
import dev.dynamo.node.storage.ObjectLimits;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transfer.PartitionSource;
import dev.dynamo.node.transfer.TransferProgress;
import dev.dynamo.node.transfer.TransferProperties;
import dev.dynamo.node.truncation.TruncationProperties;
import dev.dynamo.node.truncation.Truncations;
import dev.dynamo.node.transfer.Transfers;
import dev.dynamo.node.transport.MessageHandler;
import dev.dynamo.node.transport.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring node: builds its {@link Node} from the configured settings, the storage engine, the Netty
 * transport and the system clock, and offers the parts the web edge (HTTP API, actuator, console,
 * metrics) reads as beans. Nothing else is wired here: the node's parts know each other through
 * {@link Node} alone.
 */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    @Bean
    NodeIdentity nodeIdentity(StorageEngine engine, NodeProperties properties) {
        return NodeIdentity.load(engine, properties);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    Node node(NodeIdentity identity, StorageEngine engine, Transport transport, SeedProvider seeds,
            InstantSource clock, Ticker ticker, Scheduler scheduler, DynamoMetrics metrics,
            ReplicationProperties replication, ClusterProperties cluster, GossipProperties gossip,
            HandoffProperties handoff, AntiEntropyProperties antiEntropy, TransferProperties transfer,
            ClusterSecret secret, LimitsProperties limits, TruncationProperties truncation) {
        Member self = new Member(identity.id(), transport.localAddress(), identity.zone());
        NodeSettings settings = new NodeSettings(replication, cluster.partitions(), gossip, handoff, antiEntropy,
                transfer, secret, limits, truncation);
        // unpredictable here; the simulation seeds its own
        Random random = new Random(new SecureRandom().nextLong());
        return new Node(self, identity.actor(), settings, engine, transport, seeds, clock, ticker, scheduler, random,
                metrics);
    }

    /** What serves peers' requests, once every bean is ready (see the transport's configuration). */
    @Bean
    MessageHandler peerRequests(Node node) {
        return node.dispatcher();
    }

    @Bean
    ClusterView clusterView(Node node) {
        return node.cluster();
    }

    @Bean
    BucketPolicies bucketPolicies(Node node) {
        return node.policies();
    }

    @Bean
    FailureDetector failureDetector(Node node) {
        return node.detector();
    }

    @Bean
    Gossiper gossiper(Node node) {
        return node.gossiper();
    }

    @Bean
    MembershipChanges membershipChanges(Node node) {
        return node.membershipChanges();
    }

    @Bean
    PartitionTrees partitionTrees(Node node) {
        return node.trees();
    }

    @Bean
    VersionedStore versionedStore(Node node) {
        return node.store();
    }

    @Bean
    HintStore hintStore(Node node) {
        return node.hints();
    }

    @Bean
    RequestCoordinator requestCoordinator(Node node) {
        return node.coordinator();
    }

    @Bean
    PartitionSource partitionSource(Node node) {
        return node.partitionSource();
    }

    @Bean
    Transfers transfers(Node node) {
        return node.transfers();
    }

    @Bean
    AntiEntropyJob antiEntropyJob(Node node) {
        return node.antiEntropy();
    }

    @Bean
    Truncations truncations(Node node) {
        return node.truncations();
    }

    @Bean
    KvService kvService(Node node) {
        return node.kv();
    }

    @Bean
    ClientService clientService(Node node) {
        return node.clients();
    }

    /** Readings of the background jobs' counts, taken when scraped. */
    @Bean
    MeterBinder backgroundJobMeters(Node node, Gossiper gossiper, Transfers transfers, PartitionSource source,
            PartitionTrees trees) {
        return registry -> {
            FunctionCounter.builder("dynamo.limits.warnings", node.limits(), ObjectLimits::warnings)
                    .description("client writes stored near a key's object limits (siblings or size)")
                    .register(registry);
            FunctionCounter.builder("dynamo.limits.refusals", node.limits(), ObjectLimits::refusals)
                    .description("client writes refused for passing a key's object limits").register(registry);
            for (Rounds rounds : List.of(node.hintDeliveryRounds(), node.antiEntropyRounds(), node.reapingRounds())) {
                FunctionCounter.builder("dynamo.rounds.failed", rounds, Rounds::failures).tag("job", rounds.name())
                        .description("rounds of a background job that failed; the job goes on").register(registry);
            }
            Gauge.builder("dynamo.tombstones", trees.tombstones(), TombstoneIndex::held)
                    .description("Keys held here as tombstones only, not yet reaped").register(registry);
            FunctionCounter.builder("dynamo.gossip.rounds", gossiper, Gossiper::rounds)
                    .description("gossip rounds this node ran").register(registry);
            FunctionCounter.builder("dynamo.transfer.entries.served", source, PartitionSource::entriesServed)
                    .description("partition entries this node sent to nodes pulling them").register(registry);
            FunctionCounter.builder("dynamo.transfer.deferrals", transfers, Transfers::deferrals)
                    .description("pauses of this node's transfers before a batch because client requests were slow")
                    .register(registry);
            Gauge.builder("dynamo.transfer.partitions", transfers, t -> t.progress().stream()
                            .filter(p -> !"DONE".equals(p.state())).count())
                    .description("partitions this node is still pulling").register(registry);
            Gauge.builder("dynamo.transfer.bytes.done", transfers, t -> t.progress().stream()
                            .mapToLong(TransferProgress::bytesDone).sum())
                    .description("bytes received by this node's current transfers").baseUnit("bytes").register(registry);
            Gauge.builder("dynamo.transfer.bytes.total", transfers, t -> t.progress().stream()
                            .mapToLong(p -> p.bytesTotal() == null ? p.bytesDone() : p.bytesTotal()).sum())
                    .description("bytes this node's current transfers will receive, as the sources estimate")
                    .baseUnit("bytes").register(registry);
        };
    }
}
