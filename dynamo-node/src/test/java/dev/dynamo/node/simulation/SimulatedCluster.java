package dev.dynamo.node.simulation;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.core.version.Sibling;
import dev.dynamo.core.version.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * A cluster of simulated nodes sharing one virtual clock, one network and one seeded random, all
 * started on the same formed view (ring), gossiping with the first {@value #SEEDS} nodes as seeds:
 * what the random runs, the scripted scenarios and the gossip runs are built on.
 */
final class SimulatedCluster {

    static final String BUCKET = "sim";
    static final int N = 3;
    static final int R = 2;
    static final int W = 2;
    /** Longer than the coordinator's timeout, so a forwarded write is not cut off before its coordinator answers. */
    static final Duration TRANSPORT_TIMEOUT = Duration.ofMillis(1500);
    static final int SEEDS = 3;

    static {
        // tens of thousands of messages a run: the coordinator's debug lines would dominate its time
        if (LoggerFactory.getLogger("dev.dynamo") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private final long seed;
    private final Random random;
    private final SimulatedScheduler scheduler = new SimulatedScheduler(20_000_000);
    private final Trace trace = new Trace(scheduler::elapsed);
    private final SimulatedNetwork network;
    private final List<SimulatedNode> nodes = new ArrayList<>();
    private final Ring formedRing;

    /** A cluster of {@code size} nodes formed from its first three as seeds; no membership changes. */
    SimulatedCluster(long seed, int size, int partitions) {
        this(seed, size, 0, partitions, false);
    }

    /**
     * A cluster of {@code size} members plus {@code spares} running nodes outside it, named after
     * them ({@code node<size+1>}, ...), that an operator can add.
     *
     * @param ringChanges whether nodes take part in membership changes, see {@link SimulatedNode}
     */
    SimulatedCluster(long seed, int size, int spares, int partitions, boolean ringChanges) {
        this(seed, size, spares, partitions, ringChanges, null);
    }

    /**
     * As {@link #SimulatedCluster(long, int, int, int, boolean)}, every node also running anti-entropy
     * rounds with {@code antiEntropy} (none when null).
     */
    SimulatedCluster(long seed, int size, int spares, int partitions, boolean ringChanges,
            AntiEntropyProperties antiEntropy) {
        this.seed = seed;
        this.random = new Random(seed);
        this.network = new SimulatedNetwork(scheduler, random, trace, TRANSPORT_TIMEOUT);
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= size + spares; i++) {
            members.add(new Member("node" + i, "node" + i + ":7070", "default"));
        }
        this.formedRing = Ring.create(partitions, members.subList(0, size));
        MembershipView formed = MembershipView.formed(formedRing);
        List<String> seeds = members.stream().limit(SEEDS).map(Member::address).toList();
        for (Member member : members) {
            boolean isMember = nodes.size() < size;
            SimulatedNode node = new SimulatedNode(member, isMember ? formed : null, seeds, scheduler, network, random,
                    trace, ringChanges, partitions, antiEntropy);
            nodes.add(node);
            node.start();
        }
    }

    static StorageKey key(String name) {
        return StorageKey.of(BUCKET, name.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of a sibling as the clients wrote it: text. */
    static String text(Sibling sibling) {
        return new String(sibling.content().value(), StandardCharsets.UTF_8);
    }

    /** The live values of a state, as text. */
    static Set<String> values(VersionedValue state) {
        return state.live().stream().map(SimulatedCluster::text).collect(Collectors.toSet());
    }

    long seed() {
        return seed;
    }

    Random random() {
        return random;
    }

    SimulatedScheduler scheduler() {
        return scheduler;
    }

    SimulatedNetwork network() {
        return network;
    }

    Trace trace() {
        return trace;
    }

    List<SimulatedNode> nodes() {
        return nodes;
    }

    /** The node named {@code nodeN}, counting from 1. */
    SimulatedNode node(int n) {
        return nodes.get(n - 1);
    }

    /** The key's N primaries, in preference order. */
    List<SimulatedNode> primaries(StorageKey key) {
        return preferenceOrder(key).subList(0, N);
    }

    /** Every node in the key's preference order (primaries, then stand-ins) in the newest ring a running node follows. */
    List<SimulatedNode> preferenceOrder(StorageKey key) {
        return ring().extendedPreferenceList(key.position()).stream()
                .map(m -> nodes.get(Integer.parseInt(m.id().substring("node".length())) - 1)).toList();
    }

    /** The newest ring any running node follows (the formed one before any change). */
    Ring ring() {
        Ring newest = formedRing;
        for (SimulatedNode node : nodes) {
            Ring ring = node.isUp() ? node.cluster().ring().orElse(newest) : newest;
            newest = ring.version() > newest.version() ? ring : newest;
        }
        return newest;
    }

    void restart(SimulatedNode node) {
        node.start();
    }

    /** Whether no node has a hint left to deliver. */
    boolean hintsDrained() {
        return nodes.stream().allMatch(n -> n.disk().hasNoHints());
    }

    /**
     * Runs the simulation until {@code future} completes (at most {@code limit} of virtual time) and
     * returns its value. @throws CompletionException with the cause when it failed
     */
    <T> T await(CompletableFuture<T> future, Duration limit) {
        if (!scheduler.runUntil(future::isDone, limit)) {
            throw new AssertionError("seed " + seed + ": no outcome within " + limit + " of virtual time");
        }
        return future.join();
    }
}
