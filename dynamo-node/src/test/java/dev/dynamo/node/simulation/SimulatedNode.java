package dev.dynamo.node.simulation;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.antientropy.PartitionTrees;
import dev.dynamo.node.antientropy.TombstoneReaper;
import dev.dynamo.node.coordination.BucketPolicies;
import dev.dynamo.node.coordination.ReplicaService;
import dev.dynamo.node.coordination.ReplicationProperties;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.handoff.HintDeliveryJob;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.ConfiguredSeeds;
import dev.dynamo.node.membership.GossipProperties;
import dev.dynamo.node.membership.MembershipChanges;
import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.membership.MembershipStore;
import dev.dynamo.node.membership.PhiAccrualFailureDetector;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.AdmissionControl;
import dev.dynamo.node.scheduling.Rounds;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transfer.OwnershipHandoff;
import dev.dynamo.node.transfer.PartitionSource;
import dev.dynamo.node.transfer.TransferProperties;
import dev.dynamo.node.transfer.Transfers;
import dev.dynamo.node.transport.Transport;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.springframework.util.unit.DataSize;

/**
 * One node of the simulation, built from the production classes exactly as the Spring
 * configuration wires them, over a {@link SimulatedStorageEngine} that survives crashes. A start
 * builds every object afresh (failure detector, gossip, coordinator, hint delivery, transfers) as a
 * new process would; a crash ends the incarnation, which drops its timers, its pending replies and
 * its in-memory state. Only the meters outlive incarnations, so that they count what every
 * incarnation did. The first start takes the cluster's formed view, as formation would make it;
 * later starts find it on disk.
 */
final class SimulatedNode {

    /** The coordinator's request timeout: how long a client request waits for R or W. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    static final Duration HANDOFF_INTERVAL = Duration.ofMillis(500);
    static final int HANDOFF_BATCH = 64;
    /** The production defaults (GossipProperties). */
    static final GossipProperties GOSSIP = new GossipProperties(Duration.ofSeconds(1), 10, 8);

    /**
     * Small batches at a low rate, so that a transfer of a few thousand keys takes many batches and
     * seconds; admission control as in production.
     */
    static final TransferProperties TRANSFER = new TransferProperties(DataSize.ofKilobytes(256), 2, 100,
            DataSize.ofKilobytes(16), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(50),
            Duration.ofSeconds(20));

    /** The production defaults (AntiEntropyProperties). */
    static final AntiEntropyProperties ANTI_ENTROPY_DEFAULTS = new AntiEntropyProperties(Duration.ofSeconds(30), 1000, 2,
            Duration.ofMillis(50), Duration.ofHours(1), 500);

    private static final BucketPolicies POLICIES = new BucketPolicies(new ReplicationProperties(
            new ReplicationProperties.Quorum(3, 2, 2, REQUEST_TIMEOUT), Map.of()));

    private final Member member;
    private final MembershipView formed;
    private final List<String> seeds;
    private final SimulatedScheduler scheduler;
    private final SimulatedNetwork network;
    private final Random random;
    private final Trace trace;
    private final SimulatedStorageEngine disk = new SimulatedStorageEngine();
    private final VersionedStore diskView;
    private final SimpleMeterRegistry meters;
    private final DynamoMetrics metrics;
    private int starts;
    private Incarnation incarnation;
    private ClusterView cluster;
    private PhiAccrualFailureDetector detector;
    private Gossiper gossiper;
    private RequestCoordinator coordinator;
    private PartitionSource partitionSource;
    private Transfers transfers;
    private MembershipChanges membershipChanges;
    private final boolean ringChanges;
    private final int partitions;
    private final AntiEntropyProperties antiEntropySettings;
    private PartitionTrees trees;
    private AntiEntropyJob antiEntropy;
    private TombstoneReaper reaper;

    /**
     * @param formed      the cluster's view as formation makes it, or null for a node outside it that
     *                    learns it by gossip and waits for an operator to add it
     * @param random      draws each incarnation's own seed for gossip
     * @param ringChanges whether the node takes part in membership changes (the claimant's steps and
     *                    partition hand-off), as every production node does; scenarios about gossip
     *                    alone leave it off, so that the member entries they set stay as set
     * @param partitions  Q, which the node's partition trees are built for
     * @param antiEntropy the anti-entropy settings, or null for no rounds (trees of the default depth
     *                    are kept and served all the same)
     */
    SimulatedNode(Member member, MembershipView formed, List<String> seeds, SimulatedScheduler scheduler,
            SimulatedNetwork network, Random random, Trace trace, boolean ringChanges, int partitions,
            AntiEntropyProperties antiEntropy) {
        this.ringChanges = ringChanges;
        this.partitions = partitions;
        this.antiEntropySettings = antiEntropy;
        this.member = member;
        this.formed = formed;
        this.seeds = seeds;
        this.scheduler = scheduler;
        this.network = network;
        this.random = random;
        this.trace = trace;
        // request latencies, and the percentile windows they fall in, on virtual time
        this.meters = new SimpleMeterRegistry(SimpleConfig.DEFAULT, new Clock() {
            @Override
            public long wallTime() {
                return scheduler.millis();
            }

            @Override
            public long monotonicTime() {
                return scheduler.elapsed().toNanos();
            }
        });
        this.metrics = new DynamoMetrics(meters);
        // a write straight to the disk is a change the running incarnation's trees must see, as any other
        this.diskView = new VersionedStore(disk, actor(), scheduler, (key, before, after) -> {
            if (trees != null) {
                trees.changed(key, before, after);
            }
        });
    }

    /** Starts a new incarnation. */
    void start() {
        if (isUp()) {
            throw new IllegalStateException(member.id() + " is already up");
        }
        incarnation = new Incarnation(member.id(), ++starts);
        Scheduler own = scheduler.guarded(incarnation::alive);
        cluster = new ClusterView(member);
        // the production settings (MembershipConfiguration), on virtual time
        detector = new PhiAccrualFailureDetector(scheduler, GOSSIP.phiThreshold(),
                GOSSIP.interval(), Duration.ofMillis(200), Duration.ofSeconds(5));
        HintStore hints = new HintStore(disk, metrics);
        Transport transport = network.connect(member.address(), incarnation);
        gossiper = new Gossiper(cluster, transport, detector, own, scheduler, new Random(random.nextLong()),
                new ConfiguredSeeds(seeds, member.address()), new MembershipStore(disk), GOSSIP);
        gossiper.start();
        if (cluster.ring().isEmpty() && formed != null) {
            gossiper.merge(formed);
        }
        AntiEntropyProperties settings = antiEntropySettings != null ? antiEntropySettings : ANTI_ENTROPY_DEFAULTS;
        trees = new PartitionTrees(disk, own, partitions, settings.treeDepth(), metrics);
        trees.start();
        VersionedStore store = new VersionedStore(disk, actor(), scheduler, trees);
        coordinator = new RequestCoordinator(cluster, POLICIES, store, hints, transport, detector, own, REQUEST_TIMEOUT,
                metrics);
        partitionSource = new PartitionSource(disk, own);
        // served even without rounds of its own: another node's rounds may ask this one
        reaper = new TombstoneReaper(trees.tombstones(), cluster, transport, store, own, POLICIES.maxN(), settings.tombstoneGrace(), settings.reapBatch(),
                admission("tombstone reaping", settings.maxForegroundLatency()),
                scheduler, metrics);
        network.serve(member.address(), incarnation, new ReplicaService(cluster, coordinator, partitionSource, gossiper,
                trees, reaper));
        transfers = new Transfers(cluster, disk, store, bucket -> POLICIES.of(bucket).conflict(), transport, own,
                scheduler, TRANSFER, admission("transfers", TRANSFER.maxForegroundLatency()));
        transfers.resume();
        membershipChanges = new MembershipChanges(cluster, gossiper, transport);
        if (ringChanges) {
            new OwnershipHandoff(cluster, gossiper, transfers, detector, own, scheduler, GOSSIP.interval(),
                    REQUEST_TIMEOUT, POLICIES.maxN()).start();
        }
        HintDeliveryJob hintDelivery = new HintDeliveryJob(hints, cluster, transport, detector, HANDOFF_BATCH,
                settings.tombstoneGrace(), scheduler, metrics);
        new Rounds("hint delivery", own, HANDOFF_INTERVAL, hintDelivery::deliverOnce).start();
        if (antiEntropySettings != null) {
            antiEntropy = new AntiEntropyJob(trees, cluster, transport, store, coordinator.repairs(),
                    bucket -> POLICIES.of(bucket).conflict(), own, antiEntropySettings.interval(), POLICIES.maxN(),
                    antiEntropySettings.maxKeysPerSecond(),
                    admission("anti-entropy", antiEntropySettings.maxForegroundLatency()), transfers::isComplete,
                    scheduler, metrics);
            new Rounds("anti-entropy", own, antiEntropySettings.interval(), antiEntropy::exchangeOnce).start();
            new Rounds("tombstone reaping", own, antiEntropySettings.interval(), reaper::reapOnce).start();
        }
        trace.record("start " + incarnation);
    }

    /** Kills the process: only what it made durable stays. */
    void crash() {
        if (!isUp()) {
            throw new IllegalStateException(member.id() + " is already down");
        }
        trace.record("crash " + incarnation);
        incarnation.end();
        network.detach(member.address());
        incarnation = null;
        cluster = null;
        detector = null;
        gossiper = null;
        coordinator = null;
        partitionSource = null;
        transfers = null;
        membershipChanges = null;
        trees = null;
        antiEntropy = null;
        reaper = null;
    }

    boolean isUp() {
        return incarnation != null;
    }

    String id() {
        return member.id();
    }

    Member member() {
        return member;
    }

    /** The running coordinator, what a client's HTTP request reaches. @throws IllegalStateException when down */
    RequestCoordinator coordinator() {
        return running(coordinator);
    }

    /** The membership view the running incarnation follows. @throws IllegalStateException when down */
    ClusterView cluster() {
        return running(cluster);
    }

    /** The running incarnation's failure detector. @throws IllegalStateException when down */
    PhiAccrualFailureDetector detector() {
        return running(detector);
    }

    /** The running gossiper, where an operator's membership change would be made. @throws IllegalStateException when down */
    Gossiper gossiper() {
        return running(gossiper);
    }

    /** Where an operator's request to this node's admin API lands. @throws IllegalStateException when down */
    MembershipChanges membershipChanges() {
        return running(membershipChanges);
    }

    /** The partitions this incarnation pulls. @throws IllegalStateException when down */
    Transfers transfers() {
        return running(transfers);
    }

    /** What this incarnation serves to nodes pulling partitions. @throws IllegalStateException when down */
    PartitionSource partitionSource() {
        return running(partitionSource);
    }

    /** The running incarnation's partition trees. @throws IllegalStateException when down */
    PartitionTrees trees() {
        return running(trees);
    }

    /** The running incarnation's anti-entropy job, null when the cluster runs none. @throws IllegalStateException when down */
    AntiEntropyJob antiEntropy() {
        return running(antiEntropy);
    }

    /** The meters of every incarnation so far. */
    DynamoMetrics metrics() {
        return metrics;
    }

    /** This node's own replica of a key as it is on disk, whether the node is up or not. */
    VersionedValue stored(StorageKey key) {
        return diskView.read(key);
    }

    /**
     * This node's replica on disk, written as its own coordinator writes it (with its actor). Its counter
     * floor is the one on disk when the node was made: tests that reap tombstones write through the coordinator.
     */
    VersionedStore replica() {
        return diskView;
    }

    /** The hints on this node's disk. */
    HintStore hints() {
        return new HintStore(disk, metrics);
    }

    SimulatedStorageEngine disk() {
        return disk;
    }

    /** What the counter named {@code name} with {@code tags} (key, value, ...) counted in every incarnation so far. */
    long counted(String name, String... tags) {
        return (long) meters.get(name).tags(tags).counter().count();
    }

    /** Hints delivered by every incarnation so far. */
    long hintsDelivered() {
        return counted("dynamo.hints.delivered");
    }

    /** Admission control on this node's client request latency, which is on virtual time. */
    private AdmissionControl admission(String work, Duration limit) {
        return new AdmissionControl(work, limit, metrics::recentRequestLatency);
    }

    /** A part of the running incarnation. @throws IllegalStateException when down */
    private <T> T running(T part) {
        if (!isUp()) {
            throw new IllegalStateException(member.id() + " is down");
        }
        return part;
    }

    private String actor() {
        return member.id() + "@1"; // the disk is never wiped, so one epoch serves every incarnation
    }

    @Override
    public String toString() {
        return member.id() + (isUp() ? "" : " (down)");
    }
}
