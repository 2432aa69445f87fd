package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deleted keys stay deleted across a replica that was down during the delete: nothing is reaped while
 * it is away (however long past the grace), its hints expire, anti-entropy brings it the tombstone
 * once it is back, and then every replica reaps the key. Writes racing the reaper, with messages
 * dropped so that some replicas miss a reap, are never lost. Reaping yields while client requests are slow.
 */
class TombstoneReapingSimulationTest {

    private static final int PARTITIONS = 64;
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofSeconds(20);
    /** Rounds every 5 s, a 20 s grace, no admission control (no client load here). */
    private static final AntiEntropyProperties SETTINGS = new AntiEntropyProperties(INTERVAL, 1000, 2, Duration.ZERO,
            GRACE, 500);
    private static final int KEYS = 30;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 24);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void deletedKeysStayDeletedAcrossAReplicaThatWasDownDuringTheDelete(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 5, 0, PARTITIONS, false, SETTINGS);
        awaitTrees(cluster);
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            StorageKey key = SimulatedCluster.key("deleted-" + i);
            write(cluster, cluster.node(1 + i % 5), key, text("v" + i));
            keys.add(key);
        }
        cluster.scheduler().runFor(Duration.ofSeconds(1));
        SimulatedNode down = cluster.node(1 + cluster.random().nextInt(5));
        down.crash();
        List<SimulatedNode> up = cluster.nodes().stream().filter(n -> n != down).toList();
        for (int i = 0; i < KEYS; i++) {
            write(cluster, up.get(i % up.size()), keys.get(i), Content.tombstone(0));
        }
        List<StorageKey> missed = keys.stream().filter(k -> cluster.primaries(k).contains(down)).toList();
        assertThat(missed).as("seed %d", seed).isNotEmpty()
                .allMatch(k -> !down.stored(k).isAbsent(), "the down replica holds the live value");

        cluster.scheduler().runFor(GRACE.multipliedBy(3));
        for (StorageKey key : missed) {
            for (SimulatedNode replica : cluster.primaries(key)) {
                if (replica != down) {
                    assertThat(replica.stored(key).isTombstoned())
                            .as("seed %d: %s keeps the tombstone of %s while %s is down", seed, replica, key, down)
                            .isTrue();
                }
            }
        }

        down.start();
        awaitTrees(cluster);
        // the restarted node holds its tombstones from now (the start-up scan, or anti-entropy bringing them):
        // as a first replica it takes them only a grace later
        boolean reaped = cluster.scheduler().runUntil(() -> keys.stream().allMatch(k -> cluster.nodes().stream()
                .allMatch(n -> n.disk().get(Namespace.DATA, k.encode()) == null)), GRACE.plus(INTERVAL.multipliedBy(8)));
        assertThat(reaped).as("seed %d: every replica reaped every key within the grace and 8 rounds", seed).isTrue();
        for (StorageKey key : keys) {
            VersionedValue read = cluster.await(up.getFirst().coordinator().get(key, SimulatedCluster.R),
                    Duration.ofSeconds(5));
            assertThat(read.siblings()).as("seed %d: %s reads absent", seed, key).isEmpty();
        }
        assertThat(cluster.nodes().stream().mapToLong(n -> n.counted("dynamo.tombstones.reaped")).sum())
                .as("seed %d: each key reaped on its 3 replicas", seed).isGreaterThanOrEqualTo(3L * KEYS);
        assertThat(up.stream().mapToLong(n -> n.counted("dynamo.hints.expired")).sum())
                .as("seed %d: the hints of the delete for %s expired rather than arrived", seed, down).isPositive();
        assertThat(cluster.nodes()).allMatch(n -> n.trees().tombstones().held() == 0);
    }

    /** Longer than the failure detector skips a peer after its first failed request. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void writesRacingTheReaperAreNeverLost(long seed) {
        // drops make some replicas miss a reap
        SimulatedCluster cluster = reapingAtEveryRound(seed, Duration.ofSeconds(1));
        Random random = cluster.random();
        cluster.network().dropProbability(0.05);
        List<StorageKey> keys = LongStream.range(0, 4).mapToObj(i -> SimulatedCluster.key("raced-" + i)).toList();
        Map<StorageKey, String> last = new HashMap<>();
        for (int op = 0; op < 80; op++) {
            StorageKey key = keys.get(random.nextInt(keys.size()));
            // the key's first primary coordinates: a write with no context supersedes all it holds
            SimulatedNode coordinator = cluster.primaries(key).getFirst();
            String value = random.nextInt(3) == 0 ? null : "op-" + op;
            Content content = value == null ? Content.tombstone(0) : text(value);
            // a failed write is retried after a pause, as a client backs off: a peer whose request (any
            // request: a reap or a tree read too) went unanswered is skipped for a moment
            for (int attempt = 0; !acknowledged(cluster, coordinator, key, content); attempt++) {
                assertThat(attempt).as("seed %d: a write is acknowledged within 20 attempts", seed).isLessThan(20);
                cluster.scheduler().runFor(RETRY_PAUSE);
            }
            last.put(key, value);
            cluster.scheduler().runFor(Duration.ofMillis(random.nextInt(2500)));
        }
        cluster.network().calm();
        cluster.scheduler().runFor(Duration.ofSeconds(15));

        for (StorageKey key : keys) {
            Set<Long> versions = cluster.nodes().stream().map(n -> VersionHash.of(key.encode(), n.stored(key)))
                    .collect(Collectors.toSet());
            assertThat(versions).as("seed %d: replicas of %s agree", seed, key).hasSize(1);
            VersionedValue read = cluster.await(cluster.node(1).coordinator().get(key, SimulatedCluster.R),
                    Duration.ofSeconds(5));
            Set<String> expected = last.get(key) == null ? Set.of() : Set.of(last.get(key));
            assertThat(SimulatedCluster.values(read)).as("seed %d: %s holds its last acknowledged write", seed, key)
                    .isEqualTo(expected);
        }
        assertThat(cluster.nodes().stream().mapToLong(n -> n.counted("dynamo.tombstones.reaped")).sum())
                .as("seed %d", seed).isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void replicaWritesArrivingLateNeverBringADeletedValueBack(long seed) {
        SimulatedCluster cluster = reapingAtEveryRound(seed, Duration.ofMillis(200));
        // some messages held up past the transport timeout, as behind a partition or in a paused process: a
        // replica write of a value may reach its replica after the tombstone that deleted it was confirmed
        // everywhere; reaped by then, the value would come back from that replica
        cluster.network().late(0.2, SimulatedCluster.TRANSPORT_TIMEOUT.multipliedBy(2));
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StorageKey key = SimulatedCluster.key("late-" + i);
            SimulatedNode coordinator = cluster.primaries(key).getFirst();
            for (Content content : List.of(text("v" + i), Content.tombstone(0))) {
                for (int attempt = 0; !acknowledged(cluster, coordinator, key, content); attempt++) {
                    assertThat(attempt).as("seed %d: a write is acknowledged within 20 attempts", seed).isLessThan(20);
                    cluster.scheduler().runFor(RETRY_PAUSE);
                }
            }
            keys.add(key);
        }
        cluster.network().calm();
        cluster.scheduler().runFor(Duration.ofSeconds(15));

        for (StorageKey key : keys) {
            assertThat(cluster.nodes()).as("seed %d: no replica holds a value of deleted %s", seed, key)
                    .allMatch(n -> n.stored(key).live().isEmpty());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void reapingYieldsWhileClientRequestsAreSlow(long seed) {
        Duration limit = Duration.ofMillis(50);
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 0, PARTITIONS, false,
                new AntiEntropyProperties(INTERVAL, 1000, 2, limit, Duration.ofSeconds(1), 500));
        awaitTrees(cluster);
        // client requests through every node, each waiting on replicas 100 ms or more away: p99 far above 50 ms
        cluster.network().delays(Duration.ofMillis(100), Duration.ofMillis(120));
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            StorageKey key = SimulatedCluster.key("slow-" + i);
            write(cluster, cluster.node(1 + i % 3), key, text("v" + i));
            write(cluster, cluster.node(1 + i % 3), key, Content.tombstone(0));
            keys.add(key);
        }
        cluster.scheduler().runFor(INTERVAL.multipliedBy(4));
        assertThat(keys).as("seed %d: nothing reaped while requests are slow", seed).allMatch(k -> cluster.nodes()
                .stream().allMatch(n -> n.stored(k).isTombstoned()));

        // the slow requests leave the latency window (two minutes) and the rounds go on
        cluster.network().calm();
        assertThat(cluster.scheduler().runUntil(() -> keys.stream().allMatch(k -> cluster.nodes().stream()
                .allMatch(n -> n.disk().get(Namespace.DATA, k.encode()) == null)), Duration.ofMinutes(3)))
                .as("seed %d: reaped once requests are fast", seed).isTrue();
    }

    /** The skewed node's wall clock, a minute ahead of the others or behind them, with each seed. */
    static Stream<Arguments> seedsAndClockOffsets() {
        return Stream.of(Duration.ofSeconds(60), Duration.ofSeconds(-60))
                .flatMap(offset -> LongStream.rangeClosed(1, 12).mapToObj(seed -> Arguments.of(seed, offset)));
    }

    /**
     * One node's wall clock is a minute off, far beyond the grace. A value is written while one primary
     * is cut off, so a stand-in keeps a hint of it; the stand-in is cut off in turn, the value is
     * deleted (read, then deleted with the read's context), and the stand-in comes back before the
     * grace is out. Tombstones aged by timestamps stamped on other clocks were taken for expired at
     * once (by a node ahead, or stamped by a node behind) and reaped before the hint, still young by its
     * holder's clock, was delivered: the value came back. Aged by how long each node has held them,
     * none does, and every tombstone is still reaped.
     */
    @ParameterizedTest(name = "seed {0}, clock offset {1}")
    @MethodSource("seedsAndClockOffsets")
    void deletesRacingHintsOfOlderWritesStayDeletedWhenAClockIsSetApart(long seed, Duration offset) {
        Duration grace = Duration.ofSeconds(10);
        SimulatedCluster cluster = new SimulatedCluster(seed, 5, 0, PARTITIONS, false,
                new AntiEntropyProperties(Duration.ofSeconds(1), 1000, 2, Duration.ZERO, grace, 500));
        SimulatedNode skewed = cluster.node(1 + cluster.random().nextInt(5));
        // set before the node starts, so that only tombstones and hints see it, not a step of its failure detector
        skewed.crash();
        skewed.clockOffset(offset);
        skewed.start();
        awaitTrees(cluster);
        SimulatedNetwork network = cluster.network();
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            StorageKey key = SimulatedCluster.key("raced-" + i);
            List<SimulatedNode> primaries = cluster.primaries(key);
            SimulatedNode away = primaries.get(cluster.random().nextInt(3));
            List<SimulatedNode> reached = primaries.stream().filter(n -> n != away).toList();
            Duration writtenAt = cluster.scheduler().elapsed();

            network.partition(List.of(Set.of(away.member().address())));
            SimulatedNode writer = reached.get(cluster.random().nextInt(2));
            write(cluster, writer, key, text("v" + i));
            assertThat(cluster.scheduler().runUntil(() -> holder(cluster, away, key) != null, Duration.ofSeconds(5)))
                    .as("seed %d: a stand-in keeps a hint of %s for %s", seed, key, away).isTrue();
            SimulatedNode holder = holder(cluster, away, key);

            network.partition(List.of(Set.of(holder.member().address())));
            // the writer holds the value, so that its read sees it and the delete's context covers it
            VersionedValue read = cluster.await(writer.coordinator().get(key, SimulatedCluster.R),
                    Duration.ofSeconds(5));
            assertThat(SimulatedCluster.values(read)).as("seed %d: the delete of %s sees its value", seed, key)
                    .containsExactly("v" + i);
            cluster.await(writer.coordinator().write(key, read.clock(), Content.tombstone(0), SimulatedCluster.W),
                    Duration.ofSeconds(5));
            cluster.scheduler().runUntil(writtenAt.plus(grace.minusSeconds(2)));
            network.heal();
            cluster.scheduler().runFor(Duration.ofSeconds(2));
            keys.add(key);
        }
        network.calm();
        cluster.scheduler().runUntil(() -> keys.stream().allMatch(k -> cluster.nodes().stream()
                .allMatch(n -> n.disk().get(Namespace.DATA, k.encode()) == null)), grace.multipliedBy(6));

        for (StorageKey key : keys) {
            assertThat(cluster.nodes()).as("seed %d, %s %s: no replica holds a value of deleted %s", seed, skewed, offset,
                    key).allMatch(n -> n.stored(key).live().isEmpty());
            assertThat(cluster.nodes()).as("seed %d, %s %s: every replica reaped %s", seed, skewed, offset, key)
                    .allMatch(n -> n.disk().get(Namespace.DATA, key.encode()) == null);
        }
    }

    /** The node that keeps a hint of {@code key} for {@code owner}; null when none does. */
    private static SimulatedNode holder(SimulatedCluster cluster, SimulatedNode owner, StorageKey key) {
        return cluster.nodes().stream().filter(n -> !n.hints().get(owner.id(), key).siblings().isEmpty()).findFirst()
                .orElse(null);
    }

    /** Three nodes whose tombstones are reaped at the first round ({@code interval}) after every replica holds them. */
    private static SimulatedCluster reapingAtEveryRound(long seed, Duration interval) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 0, PARTITIONS, false,
                new AntiEntropyProperties(interval, 1000, 2, Duration.ZERO, Duration.ZERO, 500));
        awaitTrees(cluster);
        return cluster;
    }

    private static void write(SimulatedCluster cluster, SimulatedNode through, StorageKey key, Content content) {
        cluster.await(through.coordinator().write(key, null, content, SimulatedCluster.W), Duration.ofSeconds(5));
    }

    /** Whether the write was acknowledged; a quorum failure or timeout is not. */
    private static boolean acknowledged(SimulatedCluster cluster, SimulatedNode coordinator, StorageKey key,
            Content content) {
        CompletableFuture<VersionedValue> write = coordinator.coordinator().write(key, null, content,
                SimulatedCluster.W);
        return cluster.scheduler().runUntil(write::isDone, Duration.ofSeconds(5)) && !write.isCompletedExceptionally();
    }

    private static void awaitTrees(SimulatedCluster cluster) {
        assertThat(cluster.scheduler().runUntil(() -> cluster.nodes().stream().allMatch(n -> n.trees().allBuilt()),
                Duration.ofSeconds(10))).as("trees built").isTrue();
    }

    private static Content text(String value) {
        return new Content(value.getBytes(StandardCharsets.UTF_8), null, 0, false);
    }
}
