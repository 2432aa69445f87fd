package dev.dynamo.node.assembly;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.CausalContextCodec;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.antientropy.PartitionTrees;
import dev.dynamo.node.antientropy.TombstoneReaper;
import dev.dynamo.node.bucket.BucketPolicies;
import dev.dynamo.node.clientapi.ClientService;
import dev.dynamo.node.coordination.ReplicaService;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.handoff.HintDeliveryJob;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.kv.KvService;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.GossipProperties;
import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.membership.MembershipChanges;
import dev.dynamo.node.membership.MembershipStore;
import dev.dynamo.node.membership.PhiAccrualFailureDetector;
import dev.dynamo.node.membership.SeedProvider;
import dev.dynamo.node.membership.StaticClusterFormation;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.listing.KeyListing;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Rounds;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.scheduling.Ticker;
import dev.dynamo.node.storage.ObjectLimits;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transfer.OwnershipHandoff;
import dev.dynamo.node.transfer.PartitionSource;
import dev.dynamo.node.transfer.TransferProperties;
import dev.dynamo.node.transfer.Transfers;
import dev.dynamo.node.truncation.Truncations;
import dev.dynamo.node.transport.PeerDispatcher;
import dev.dynamo.node.transport.Transport;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A node assembled from its parts: the one place that builds them and says how they depend on each
 * other. The Spring node builds one over Netty, LMDB and the system clock; the simulation builds the
 * same over its simulated network, disks and virtual time, so what it checks is the production node.
 *
 * <p>{@link #start} starts the background work (trees, gossip, formation, transfers, hand-off, hint
 * delivery, anti-entropy, reaping); {@link #stop} stops it. Serving peers is the caller's to switch
 * on: hand {@link #dispatcher} (and {@link #clients}) to the transport once the node has started.
 */
public final class Node {

    /** How long a peer that failed a request is skipped at first; doubled per consecutive failure, up to the ceiling. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final ClusterView cluster;
    private final BucketPolicies policies;
    private final PhiAccrualFailureDetector detector;
    private final Gossiper gossiper;
    private final MembershipChanges membershipChanges;
    private final StaticClusterFormation formation;
    private final PartitionTrees trees;
    private final VersionedStore store;
    private final HintStore hints;
    private final ObjectLimits limits;
    private final RequestCoordinator coordinator;
    private final PartitionSource partitionSource;
    private final TombstoneReaper reaper;
    private final Transfers transfers;
    private final OwnershipHandoff ownershipHandoff;
    private final AntiEntropyJob antiEntropy;
    private final KeyListing keyListing;
    private final Truncations truncations;
    private final KvService kv;
    private final ClientService clients;
    private final PeerDispatcher dispatcher;
    private final Rounds hintDeliveryRounds;
    private final Rounds antiEntropyRounds;
    private final Rounds reapingRounds;

    /**
     * @param self      this node: id, internode address, zone
     * @param actor     the actor its versions are written as (its id and storage epoch)
     * @param clock     the wall clock: the time versions and heartbeats read
     * @param ticker    the monotonic clock: how long this node has held tombstones and hints
     * @param scheduler where every timer and background task runs
     * @param random    picks gossip peers and seeds
     */
    public Node(Member self, String actor, NodeSettings settings, StorageEngine engine, Transport transport,
            SeedProvider seeds, InstantSource clock, Ticker ticker, Scheduler scheduler, Random random,
            DynamoMetrics metrics) {
        GossipProperties gossip = settings.gossip();
        AntiEntropyProperties antiEntropySettings = settings.antiEntropy();
        TransferProperties transferSettings = settings.transfer();
        Duration requestTimeout = settings.replication().defaults().timeout();
        cluster = new ClusterView(self);
        policies = new BucketPolicies(settings.replication());
        detector = new PhiAccrualFailureDetector(ticker, gossip.phiThreshold(), gossip.interval(), FIRST_BACKOFF,
                MAX_BACKOFF);
        PeerCalls peers = new PeerCalls(transport, detector);
        gossiper = new Gossiper(cluster, peers, detector, scheduler, clock, random, seeds, new MembershipStore(engine),
                gossip);
        membershipChanges = new MembershipChanges(cluster, gossiper, peers);
        formation = new StaticClusterFormation(cluster, peers, scheduler, seeds, settings.partitions(), gossiper);

        trees = new PartitionTrees(engine, scheduler, settings.partitions(), antiEntropySettings.treeDepth(), ticker,
                clock, metrics);
        store = new VersionedStore(engine, actor, clock, trees);
        hints = new HintStore(engine, clock, ticker, metrics);
        limits = new ObjectLimits(settings.limits().maxSiblings(), settings.limits().maxObjectSize().toBytes());
        coordinator = new RequestCoordinator(cluster, policies, store, hints, peers, detector, scheduler, requestTimeout,
                settings.replication().defaults().readSparesAfter(), limits, metrics, clock);
        partitionSource = new PartitionSource(engine, scheduler, transport.maxMessageSize());
        reaper = new TombstoneReaper(trees, cluster, peers, store, scheduler, clock, policies.maxN(),
                antiEntropySettings.tombstoneGrace(), transport.requestLifetime(), antiEntropySettings.reapBatch(),
                admission("tombstone reaping", antiEntropySettings.maxForegroundLatency(), metrics), metrics);
        transfers = new Transfers(cluster, engine, store, bucket -> policies.of(bucket).conflict(), peers, scheduler,
                clock, transferSettings, admission("transfers", transferSettings.maxForegroundLatency(), metrics));
        ownershipHandoff = new OwnershipHandoff(cluster, gossiper, transfers, detector, scheduler, clock,
                gossip.interval(), requestTimeout, policies.maxN());
        antiEntropy = new AntiEntropyJob(trees, cluster, peers, store, coordinator.repairs(),
                bucket -> policies.of(bucket).conflict(), scheduler, antiEntropySettings.interval(), policies.maxN(),
                antiEntropySettings.maxKeysPerSecond(),
                admission("anti-entropy", antiEntropySettings.maxForegroundLatency(), metrics), transfers::isComplete,
                clock, metrics);
        HintDeliveryJob hintDelivery = new HintDeliveryJob(hints, cluster, peers, detector, settings.handoff().batch(),
                antiEntropySettings.tombstoneGrace(), metrics);
        hintDeliveryRounds = new Rounds("hint delivery", scheduler, settings.handoff().interval(),
                hintDelivery::deliverOnce);
        antiEntropyRounds = new Rounds("anti-entropy", scheduler, antiEntropySettings.interval(),
                antiEntropy::exchangeOnce);
        reapingRounds = new Rounds("tombstone reaping", scheduler, antiEntropySettings.interval(), reaper::reapOnce);

        keyListing = new KeyListing(cluster, policies, store, peers, detector, scheduler,
                admission("key listing", antiEntropySettings.maxForegroundLatency(), metrics));
        truncations = new Truncations(keyListing, coordinator, policies, engine, scheduler,
                admission("truncation", settings.truncation().maxForegroundLatency(), metrics), clock, ticker,
                settings.truncation());
        kv = new KvService(coordinator, keyListing, new CausalContextCodec(settings.secret().contextKey()),
                settings.limits().maxValueSize().toBytes(), clock);
        clients = new ClientService(cluster, policies, kv);

        ReplicaService replicas = new ReplicaService(coordinator);
        dispatcher = new PeerDispatcher(
                describe -> CompletableFuture.completedFuture(new Message.Described(cluster.self())),
                replicas::serve, partitionSource::serve, gossiper::serve, trees::serve, reaper::serve,
                keyListing::serveRead);
    }

    private static AdmissionControl admission(String work, Duration limit, DynamoMetrics metrics) {
        return new AdmissionControl(work, limit, metrics::recentRequestLatency);
    }

    /** Starts the background work, from the view and transfers kept on disk. */
    public void start() {
        trees.start();
        gossiper.start();
        formation.start();
        transfers.resume();
        ownershipHandoff.start();
        hintDeliveryRounds.start();
        antiEntropyRounds.start();
        reapingRounds.start();
        truncations.start();
    }

    /** Stops the background work, the reverse of {@link #start}. */
    public void stop() {
        truncations.stop();
        reapingRounds.stop();
        antiEntropyRounds.stop();
        hintDeliveryRounds.stop();
        ownershipHandoff.stop();
        transfers.stop();
        formation.stop();
        gossiper.stop();
    }

    public ClusterView cluster() {
        return cluster;
    }

    public BucketPolicies policies() {
        return policies;
    }

    public PhiAccrualFailureDetector detector() {
        return detector;
    }

    public Gossiper gossiper() {
        return gossiper;
    }

    public MembershipChanges membershipChanges() {
        return membershipChanges;
    }

    public StaticClusterFormation formation() {
        return formation;
    }

    public Truncations truncations() {
        return truncations;
    }

    public KeyListing keyListing() {
        return keyListing;
    }

    public PartitionTrees trees() {
        return trees;
    }

    public VersionedStore store() {
        return store;
    }

    public HintStore hints() {
        return hints;
    }

    /** What a client's write may make of a key's object. */
    public ObjectLimits limits() {
        return limits;
    }

    public RequestCoordinator coordinator() {
        return coordinator;
    }

    public PartitionSource partitionSource() {
        return partitionSource;
    }

    public TombstoneReaper reaper() {
        return reaper;
    }

    public Transfers transfers() {
        return transfers;
    }

    public OwnershipHandoff ownershipHandoff() {
        return ownershipHandoff;
    }

    public AntiEntropyJob antiEntropy() {
        return antiEntropy;
    }

    public Rounds hintDeliveryRounds() {
        return hintDeliveryRounds;
    }

    public Rounds antiEntropyRounds() {
        return antiEntropyRounds;
    }

    public Rounds reapingRounds() {
        return reapingRounds;
    }

    /** The data requests both doors (HTTP and the binary client API) serve. */
    public KvService kv() {
        return kv;
    }

    /** Serves the binary client API; the transport's client handler once the node has started. */
    public ClientService clients() {
        return clients;
    }

    /** Serves peers' requests; the transport's handler once the node has started. */
    public PeerDispatcher dispatcher() {
        return dispatcher;
    }
}
