package dev.dynamo.node.simulation;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.antientropy.PartitionTrees;
import dev.dynamo.node.assembly.Node;
import dev.dynamo.node.assembly.NodeSettings;
import dev.dynamo.node.bucket.ReplicationProperties;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.listing.KeyListing;
import dev.dynamo.node.handoff.HandoffProperties;
import dev.dynamo.node.kv.LimitsProperties;
import dev.dynamo.node.secret.ClusterSecret;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.ConfiguredSeeds;
import dev.dynamo.node.membership.GossipProperties;
import dev.dynamo.node.membership.Gossiper;
import dev.dynamo.node.membership.MembershipChanges;
import dev.dynamo.node.membership.MembershipStore;
import dev.dynamo.node.membership.PhiAccrualFailureDetector;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transfer.PartitionSource;
import dev.dynamo.node.transfer.TransferProperties;
import dev.dynamo.node.transfer.Transfers;
import dev.dynamo.node.truncation.TruncationProperties;
import dev.dynamo.node.transport.Transport;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
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

    private static final ReplicationProperties REPLICATION = new ReplicationProperties(
            new ReplicationProperties.Quorum(3, 2, 2, REQUEST_TIMEOUT, Duration.ofMillis(20)), Map.of());
    private static final ClusterSecret SECRET = new ClusterSecret("simulated-cluster-secret");
    private static final LimitsProperties LIMITS = new LimitsProperties(DataSize.ofMegabytes(1), 100,
            DataSize.ofMegabytes(8));
    /** Fast, so that a simulated truncation of a few hundred keys takes seconds; never pauses. */
    static final TruncationProperties TRUNCATION = new TruncationProperties(1000, Duration.ZERO);
    private static final HandoffProperties HANDOFF = new HandoffProperties(HANDOFF_INTERVAL, HANDOFF_BATCH);

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
    private Node node;
    private final boolean ringChanges;
    private final int partitions;
    private final AntiEntropyProperties antiEntropySettings;
    /** How far this node's wall clock is from virtual time; changed, it steps. */
    private Duration clockOffset = Duration.ZERO;

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
            if (node != null) {
                node.trees().changed(key, before, after);
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
        AntiEntropyProperties antiEntropy = antiEntropySettings != null ? antiEntropySettings : ANTI_ENTROPY_DEFAULTS;
        NodeSettings settings = new NodeSettings(REPLICATION, partitions, GOSSIP, HANDOFF, antiEntropy, TRANSFER,
                SECRET, LIMITS, TRUNCATION);
        Transport transport = network.connect(member.address(), incarnation);
        InstantSource wallClock = () -> scheduler.instant().plus(clockOffset);
        node = new Node(member, actor(), settings, disk, transport, new ConfiguredSeeds(seeds, member.address()),
                wallClock, scheduler, own, new Random(random.nextLong()), metrics);
        if (formed != null && new MembershipStore(disk).load().isEmpty()) {
            node.gossiper().merge(formed); // as formation would have made it; later starts find it on disk
        }
        node.start();
        // what the scenario leaves out stops before its first round: nothing of it ever runs
        if (!ringChanges) {
            node.ownershipHandoff().stop();
        }
        if (antiEntropySettings == null) {
            node.antiEntropyRounds().stop();
            node.reapingRounds().stop();
        }
        network.serve(member.address(), incarnation, node.dispatcher());
        trace.record("start " + incarnation);
    }

    /**
     * Sets this node's wall clock {@code offset} from virtual time (ahead when positive), at once: a
     * step if the node is up. Its monotonic clock stays virtual time, as a process's does.
     */
    void clockOffset(Duration offset) {
        clockOffset = offset;
        trace.record(member.id() + " clock offset " + offset);
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
        node = null;
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

    /** The running incarnation's node, as the production code assembles it. @throws IllegalStateException when down */
    Node node() {
        return running();
    }

    /** The running node's key listing. @throws IllegalStateException when down */
    KeyListing listing() {
        return running().keyListing();
    }

    /** The running coordinator, what a client's HTTP request reaches. @throws IllegalStateException when down */
    RequestCoordinator coordinator() {
        return running().coordinator();
    }

    /** The membership view the running incarnation follows. @throws IllegalStateException when down */
    ClusterView cluster() {
        return running().cluster();
    }

    /** The running incarnation's failure detector. @throws IllegalStateException when down */
    PhiAccrualFailureDetector detector() {
        return running().detector();
    }

    /** The running gossiper, where an operator's membership change would be made. @throws IllegalStateException when down */
    Gossiper gossiper() {
        return running().gossiper();
    }

    /** Where an operator's request to this node's admin API lands. @throws IllegalStateException when down */
    MembershipChanges membershipChanges() {
        return running().membershipChanges();
    }

    /** The partitions this incarnation pulls. @throws IllegalStateException when down */
    Transfers transfers() {
        return running().transfers();
    }

    /** What this incarnation serves to nodes pulling partitions. @throws IllegalStateException when down */
    PartitionSource partitionSource() {
        return running().partitionSource();
    }

    /** The running incarnation's partition trees. @throws IllegalStateException when down */
    PartitionTrees trees() {
        return running().trees();
    }

    /** The running incarnation's anti-entropy job (whose rounds run only when the cluster has anti-entropy settings). @throws IllegalStateException when down */
    AntiEntropyJob antiEntropy() {
        return running().antiEntropy();
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
        return new HintStore(disk, scheduler, scheduler, metrics);
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

    /** The running incarnation. @throws IllegalStateException when down */
    private Node running() {
        if (!isUp()) {
            throw new IllegalStateException(member.id() + " is down");
        }
        return node;
    }

    private String actor() {
        return member.id() + "@1"; // the disk is never wiped, so one epoch serves every incarnation
    }

    @Override
    public String toString() {
        return member.id() + (isUp() ? "" : " (down)");
    }
}
