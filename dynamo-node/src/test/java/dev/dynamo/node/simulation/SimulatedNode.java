package dev.dynamo.node.simulation;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.coordination.BucketPolicies;
import dev.dynamo.node.coordination.ReplicaService;
import dev.dynamo.node.coordination.ReplicationProperties;
import dev.dynamo.node.coordination.RequestCoordinator;
import dev.dynamo.node.handoff.HintDeliveryJob;
import dev.dynamo.node.handoff.HintStore;
import dev.dynamo.node.membership.BackoffFailureDetector;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.metrics.DynamoMetrics;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.storage.VersionedStore;
import dev.dynamo.node.transfer.PartitionSource;
import dev.dynamo.node.transfer.TransferProperties;
import dev.dynamo.node.transfer.Transfers;
import dev.dynamo.node.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * One node of the simulation, built from the production classes exactly as the Spring
 * configuration wires them, over a {@link SimulatedStorageEngine} that survives crashes. A start
 * builds every object afresh (failure detector, coordinator, hint delivery) as a new process would;
 * a crash ends the incarnation, which drops its timers, its pending replies and its in-memory state.
 * Only the meters outlive incarnations, so that they count what every incarnation did.
 */
final class SimulatedNode {

    /** The coordinator's request timeout: how long a client request waits for R or W. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    static final Duration HANDOFF_INTERVAL = Duration.ofMillis(500);
    static final int HANDOFF_BATCH = 64;

    /** Small batches at a low rate, so that a transfer of a few thousand keys takes many batches and seconds. */
    static final TransferProperties TRANSFER = new TransferProperties(DataSize.ofKilobytes(256), 2, 100,
            DataSize.ofKilobytes(16), Duration.ofMillis(200), Duration.ofSeconds(2));

    private static final BucketPolicies POLICIES = new BucketPolicies(new ReplicationProperties(
            new ReplicationProperties.Quorum(3, 2, 2, REQUEST_TIMEOUT), Map.of()));

    private final Member member;
    private final SimulatedScheduler scheduler;
    private final SimulatedNetwork network;
    private final Trace trace;
    private final SimulatedStorageEngine disk = new SimulatedStorageEngine();
    private final VersionedStore diskView;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DynamoMetrics metrics = new DynamoMetrics(meters);
    private int starts;
    private Incarnation incarnation;
    private RequestCoordinator coordinator;
    private PartitionSource partitionSource;
    private Transfers transfers;

    SimulatedNode(Member member, SimulatedScheduler scheduler, SimulatedNetwork network, Trace trace) {
        this.member = member;
        this.scheduler = scheduler;
        this.network = network;
        this.trace = trace;
        this.diskView = new VersionedStore(disk, actor(), scheduler);
    }

    /** Starts a new incarnation that follows {@code ring}. */
    void start(Ring ring) {
        if (isUp()) {
            throw new IllegalStateException(member.id() + " is already up");
        }
        incarnation = new Incarnation(member.id(), ++starts);
        Scheduler own = scheduler.guarded(incarnation::alive);
        ClusterView cluster = new ClusterView(member);
        cluster.install(ring);
        // the production settings (MembershipConfiguration), on virtual time
        BackoffFailureDetector detector =
                new BackoffFailureDetector(scheduler, Duration.ofMillis(200), Duration.ofSeconds(5));
        HintStore hints = new HintStore(disk, metrics);
        Transport transport = network.connect(member.address(), incarnation);
        VersionedStore store = new VersionedStore(disk, actor(), scheduler);
        coordinator = new RequestCoordinator(cluster, POLICIES, store, hints, transport, detector, own, REQUEST_TIMEOUT,
                metrics);
        partitionSource = new PartitionSource(disk, own);
        network.serve(member.address(), incarnation, new ReplicaService(cluster, coordinator, partitionSource));
        transfers = new Transfers(cluster, disk, store, bucket -> POLICIES.of(bucket).conflict(), transport, own,
                scheduler, TRANSFER);
        transfers.resume();
        new HintDeliveryJob(hints, cluster, transport, detector, own, HANDOFF_INTERVAL, HANDOFF_BATCH, metrics)
                .start();
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
        coordinator = null;
        partitionSource = null;
        transfers = null;
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
        requireUp();
        return coordinator;
    }

    /** The partitions this incarnation pulls. @throws IllegalStateException when down */
    Transfers transfers() {
        requireUp();
        return transfers;
    }

    /** What this incarnation serves to nodes pulling partitions. @throws IllegalStateException when down */
    PartitionSource partitionSource() {
        requireUp();
        return partitionSource;
    }

    /** This node's own replica of a key as it is on disk, whether the node is up or not. */
    VersionedValue stored(StorageKey key) {
        return diskView.read(key);
    }

    /** This node's replica on disk, written as its own coordinator writes it (with its actor). */
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

    private void requireUp() {
        if (!isUp()) {
            throw new IllegalStateException(member.id() + " is down");
        }
    }

    private String actor() {
        return member.id() + "@1"; // the disk is never wiped, so one epoch serves every incarnation
    }

    @Override
    public String toString() {
        return member.id() + (isUp() ? "" : " (down)");
    }
}
