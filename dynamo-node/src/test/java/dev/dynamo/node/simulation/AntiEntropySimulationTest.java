package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.antientropy.PartitionTree;
import dev.dynamo.core.antientropy.VersionHash;
import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.version.ConflictPolicy;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.antientropy.AntiEntropyJob;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replicas that diverged behind the coordinator's back (data written to one replica's disk only)
 * converge through anti-entropy within two rounds, and what the exchanges cost grows with the
 * number of keys that differ, not with the size of the store. {@code -Dantientropy.keys=100000} stores
 * more keys (the default is 10,000); the bytes exchanged are printed. Each partition's last exchange is
 * kept, and rounds yield while client requests are slow (request latency is on virtual time). During
 * a ring change, a pending replica whose copy of a partition is complete gets a write it missed
 * before the ring switches.
 */
class AntiEntropySimulationTest {

    private static final int PARTITIONS = 64;
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration LATENCY_LIMIT = Duration.ofMillis(50);
    /** Rounds every 5 s, the default budget and tree depth. */
    private static final AntiEntropyProperties SETTINGS = new AntiEntropyProperties(INTERVAL, 1000, 2, LATENCY_LIMIT,
            Duration.ofHours(1), 500);
    private static final int DIFFERING = 10;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void replicasThatDivergedConvergeWithinTwoRoundsExchangingBytesForTheDifferingKeysOnly(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 5, 0, PARTITIONS, false, SETTINGS);
        List<StorageKey> keys = store(cluster, Integer.getInteger("antientropy.keys", 10_000));
        awaitTrees(cluster);
        long[] idle = exchangedDuring(cluster, INTERVAL.multipliedBy(2));
        assertThat(idle[1]).as("seed %d: exchanges", seed).isPositive();
        long perExchange = idle[0] / idle[1];
        assertThat(idle[0]).as("seed %d: every exchange of equal trees compares roots only", seed)
                .isEqualTo(perExchange * idle[1]);

        // diverge: a newer version on one replica, a concurrent one on another (siblings), a key on one only
        List<StorageKey> differing = new ArrayList<>();
        for (int i = 0; i < DIFFERING; i++) {
            StorageKey key = i < DIFFERING - 3 ? keys.get(cluster.random().nextInt(keys.size()))
                    : SimulatedCluster.key("new-" + i);
            List<SimulatedNode> primaries = cluster.primaries(key);
            SimulatedNode one = primaries.get(cluster.random().nextInt(primaries.size()));
            write(one, key, "diverged-" + i);
            if (i % 3 == 0) {
                write(primaries.get((primaries.indexOf(one) + 1) % primaries.size()), key, "concurrent-" + i);
            }
            differing.add(key);
        }
        long[] repairing = exchangedDuring(cluster, INTERVAL.multipliedBy(2));
        long repairBytes = repairing[0] - perExchange * repairing[1];

        for (StorageKey key : differing) {
            List<SimulatedNode> primaries = cluster.primaries(key);
            Set<Long> versions = primaries.stream().map(n -> VersionHash.of(key.encode(), n.stored(key)))
                    .collect(Collectors.toSet());
            assertThat(versions).as("seed %d, %s on %s", seed, key, primaries).hasSize(1);
            assertThat(SimulatedCluster.values(primaries.get(0).stored(key)))
                    .as("seed %d: every write survives, concurrent ones as siblings", seed)
                    .allMatch(v -> v.startsWith("diverged-") || v.startsWith("concurrent-"));
        }
        assertEqualRoots(cluster, seed);
        long[] repaired = {0};
        cluster.nodes().forEach(n -> repaired[0] += n.antiEntropy().keysRepaired());
        // each key differs between up to 3 pairs of replicas; an exchange may find it again before a repair lands
        assertThat(repaired[0]).as("seed %d", seed).isBetween((long) DIFFERING, 3L * 2 * DIFFERING);
        assertThat(cluster.nodes().stream().mapToLong(n -> n.counted("dynamo.antientropy.keys.repaired")).sum())
                .as("seed %d: metrics", seed).isEqualTo(repaired[0]);
        assertThat(cluster.nodes()).allMatch(n -> n.counted("dynamo.antientropy.tree.builds") == PARTITIONS);
        assertThat(cluster.nodes().stream().mapToLong(n -> n.counted("dynamo.antientropy.bytes")).sum())
                .isEqualTo(exchanged(cluster)[0]);
        long[] quiet = exchangedDuring(cluster, INTERVAL.multipliedBy(2));
        assertThat(quiet[0]).as("seed %d: after convergence, exchanges compare roots only again", seed)
                .isEqualTo(perExchange * quiet[1]);
        System.out.printf("anti-entropy, seed %d: 5 nodes, Q=%d, N=3, %,d keys: %d bytes per exchange of equal trees"
                + " (%,d exchanges in %d s); %d differing keys repaired with %,d bytes more than equal trees cost%n",
                seed, PARTITIONS, keys.size(), perExchange, idle[1], INTERVAL.multipliedBy(2).toSeconds(), DIFFERING, repairBytes);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aReplicaThatMissedWritesAndLostTheirHintsCatchesUpWithinTwoRounds(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 5, 0, PARTITIONS, false, SETTINGS);
        awaitTrees(cluster);
        SimulatedNode down = cluster.node(5);
        down.crash();
        List<StorageKey> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            StorageKey key = SimulatedCluster.key("while-down-" + i);
            cluster.await(cluster.node(1 + i % 4).coordinator().write(key, null,
                    new Content(("v" + i).getBytes(StandardCharsets.UTF_8), null, i, false), SimulatedCluster.W),
                    Duration.ofSeconds(5));
            written.add(key);
        }
        for (SimulatedNode node : cluster.nodes()) {
            if (node != down) {
                node.hints().forOwner(down.id(), Integer.MAX_VALUE)
                        .forEach(hint -> node.hints().remove(down.id(), hint.key(), hint.value()).join());
            }
        }
        List<StorageKey> missed = written.stream().filter(k -> cluster.primaries(k).contains(down)).toList();
        assertThat(missed).as("seed %d", seed).isNotEmpty().allMatch(k -> down.stored(k).siblings().isEmpty());

        down.start();
        awaitTrees(cluster);
        cluster.scheduler().runFor(INTERVAL.multipliedBy(3)); // a restarted node's first round starts one interval in

        for (StorageKey key : missed) {
            assertThat(VersionHash.of(key.encode(), down.stored(key))).as("seed %d, %s", seed, key)
                    .isEqualTo(VersionHash.of(key.encode(), cluster.primaries(key).stream().filter(n -> n != down)
                            .findFirst().orElseThrow().stored(key)));
        }
        assertEqualRoots(cluster, seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void aRoundRepairsNoMoreKeysThanItsBudget(long seed) {
        int perRound = 20; // 4 keys a second, rounds every 5 s
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 0, PARTITIONS, false,
                new AntiEntropyProperties(INTERVAL, perRound / (int) INTERVAL.toSeconds(), 2, LATENCY_LIMIT,
                        Duration.ofHours(1), 500));
        awaitTrees(cluster);
        SimulatedNode behind = cluster.node(3); // with 3 nodes and N = 3, every node replicates every key
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            StorageKey key = SimulatedCluster.key("budget-" + i);
            write(cluster.node(1), key, "v" + i);
            write(cluster.node(2), key, "v" + i);
            keys.add(key);
        }
        long[] rounds = {0};
        boolean converged = cluster.scheduler().runUntil(() -> {
            rounds[0] = cluster.nodes().stream().mapToLong(n -> n.antiEntropy().keysRepaired()).sum();
            return keys.stream().allMatch(k -> !behind.stored(k).siblings().isEmpty());
        }, INTERVAL.multipliedBy(40));
        assertThat(converged).as("seed %d", seed).isTrue();
        // node1 exchanges with node2 and node3, node2 with node3: each node's rounds repair at most perRound keys
        double elapsedRounds = cluster.scheduler().elapsed().toMillis() / (double) INTERVAL.toMillis();
        assertThat(rounds[0]).as("seed %d", seed).isLessThanOrEqualTo((long) Math.ceil(elapsedRounds) * 2 * perRound);
        assertThat(elapsedRounds).as("seed %d: 100 missing keys at 20 a round per node take several rounds", seed)
                .isGreaterThan(100 / (2.0 * perRound));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void eachPartitionsLastExchangeIsKeptWithItsTimePeerAndKeysRepaired(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 0, PARTITIONS, false, SETTINGS);
        awaitTrees(cluster);
        StorageKey key = SimulatedCluster.key("only-on-node3");
        int partition = cluster.ring().partitionOf(key.position());
        Instant diverged = cluster.scheduler().instant();
        write(cluster.node(3), key, "v");

        AntiEntropyJob.LastExchange[] found = {null};
        assertThat(cluster.scheduler().runUntil(() -> {
            found[0] = cluster.nodes().stream().map(n -> n.antiEntropy().lastExchanges().get(partition))
                    .filter(e -> e != null && e.keysRepaired() > 0).findFirst().orElse(null);
            return found[0] != null;
        }, INTERVAL.multipliedBy(3))).as("seed %d", seed).isTrue();

        // node3's id sorts last, so node1 and node2 start the exchanges; the first to repair the key did so with node3
        assertThat(found[0].peer()).as("seed %d", seed).isEqualTo("node3");
        assertThat(found[0].keysRepaired()).isEqualTo(1);
        assertThat(found[0].failed()).isFalse();
        assertThat(found[0].at()).isAfter(diverged).isBeforeOrEqualTo(cluster.scheduler().instant());
        // with N = 3 of 3 nodes, node1 replicates every partition: after a whole round it has exchanged each
        cluster.scheduler().runFor(INTERVAL.multipliedBy(2));
        assertThat(cluster.node(1).antiEntropy().lastExchanges()).hasSize(PARTITIONS);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void roundsYieldWhileClientRequestsAreSlowAndRepairOnceTheyAreFastAgain(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 0, PARTITIONS, false, SETTINGS);
        awaitTrees(cluster);
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StorageKey key = SimulatedCluster.key("deferred-" + i);
            write(cluster.node(1), key, "v" + i);
            keys.add(key);
        }
        // client requests through every node, each waiting on replicas 100 ms or more away: p99 far above 50 ms
        cluster.network().delays(Duration.ofMillis(100), Duration.ofMillis(120));
        for (int i = 0; i < 30; i++) {
            cluster.await(cluster.node(1 + i % 3).coordinator().write(SimulatedCluster.key("foreground-" + i), null,
                    new Content(new byte[] {1}, null, i, false), SimulatedCluster.W), Duration.ofSeconds(5));
        }
        assertThat(cluster.nodes()).allMatch(n -> n.metrics().recentRequestLatency().compareTo(LATENCY_LIMIT) > 0);

        cluster.scheduler().runFor(INTERVAL.multipliedBy(4));
        assertThat(keys).as("seed %d: nothing repaired while requests are slow", seed)
                .allMatch(k -> cluster.node(3).stored(k).siblings().isEmpty());
        assertThat(cluster.node(1).antiEntropy().deferredRounds()).as("seed %d", seed).isGreaterThanOrEqualTo(3);
        assertThat(cluster.nodes()).allMatch(n -> n.counted("dynamo.antientropy.deferred")
                == n.antiEntropy().deferredRounds());
        assertThat(cluster.nodes().stream().mapToLong(n -> n.antiEntropy().keysRepaired()).sum()).isZero();

        // the slow requests leave the latency window (two minutes) and the rounds go on
        cluster.network().calm();
        long deferred = cluster.node(1).antiEntropy().deferredRounds();
        assertThat(cluster.scheduler().runUntil(
                () -> keys.stream().allMatch(k -> !cluster.node(3).stored(k).siblings().isEmpty()),
                Duration.ofMinutes(3))).as("seed %d: repaired once requests are fast", seed).isTrue();
        assertThat(cluster.node(1).antiEntropy().deferredRounds()).isGreaterThan(deferred);
        assertThat(cluster.nodes()).allMatch(n -> n.metrics().recentRequestLatency().compareTo(LATENCY_LIMIT) <= 0);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aPendingReplicaWhoseCopyIsCompleteGetsAWriteItMissedBeforeTheRingSwitches(long seed) {
        // rounds every second; enough data that the joiner's copies take several seconds at the simulated rate
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 1, PARTITIONS, true,
                new AntiEntropyProperties(Duration.ofSeconds(1), 1000, 2, LATENCY_LIMIT, Duration.ofHours(1), 500));
        store(cluster, 40_000);
        awaitTrees(cluster);
        Ring before = cluster.ring();
        SimulatedNode joiner = cluster.node(4);
        cluster.await(cluster.node(1).membershipChanges().join(joiner.member().address()), Duration.ofSeconds(5));

        int[] copied = {-1};
        assertThat(cluster.scheduler().runUntil(() -> {
            copied[0] = IntStream.range(0, PARTITIONS).filter(p -> joiner.transfers().isComplete(p)).findFirst()
                    .orElse(-1);
            return copied[0] >= 0;
        }, Duration.ofMinutes(1))).as("seed %d: a partition copied to the joiner", seed).isTrue();
        assertThat(cluster.ring().version()).as("seed %d: not switched yet", seed).isEqualTo(before.version());

        // a write the joiner missed: on the current replicas only, as from a coordinator that had not seen the change
        StorageKey key = IntStream.iterate(0, i -> i + 1).mapToObj(i -> SimulatedCluster.key("missed-" + i))
                .filter(k -> before.partitionOf(k.position()) == copied[0]).findFirst().orElseThrow();
        VersionedValue missed = VersionedValue.empty().put(VersionVector.empty(), "client@1",
                new Content("missed".getBytes(StandardCharsets.UTF_8), null, 0, false), ConflictPolicy.SIBLINGS);
        cluster.primaries(key).forEach(n -> n.replica().merge(key, missed, ConflictPolicy.SIBLINGS).join());
        assertThat(cluster.primaries(key)).doesNotContain(joiner);

        List<Integer> exchangedUncopied = new ArrayList<>();
        cluster.scheduler().runUntil(() -> {
            joiner.antiEntropy().lastExchanges().keySet().stream().filter(p -> !joiner.transfers().isComplete(p))
                    .forEach(exchangedUncopied::add);
            return !joiner.stored(key).siblings().isEmpty() || cluster.ring().version() != before.version();
        }, Duration.ofMinutes(1));
        assertThat(joiner.stored(key)).as("seed %d: the missed write on the joiner", seed).isEqualTo(missed);
        assertThat(cluster.ring().version()).as("seed %d: before the switch", seed).isEqualTo(before.version());
        assertThat(exchangedUncopied).as("seed %d: partitions exchanged before their copy was complete", seed)
                .isEmpty();
    }

    /** The same state of {@code count} keys on each of their primaries, written straight to their disks. */
    private static List<StorageKey> store(SimulatedCluster cluster, int count) {
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StorageKey key = SimulatedCluster.key("key-" + i);
            VersionedValue value = VersionedValue.empty().put(VersionVector.empty(), "client@1",
                    new Content(("value-" + i).getBytes(StandardCharsets.UTF_8), null, i, false), ConflictPolicy.SIBLINGS);
            cluster.primaries(key).forEach(n -> n.replica().merge(key, value, ConflictPolicy.SIBLINGS).join());
            keys.add(key);
        }
        return keys;
    }

    private static void write(SimulatedNode node, StorageKey key, String value) {
        node.replica().write(key, null, new Content(value.getBytes(StandardCharsets.UTF_8), null, 0, false),
                ConflictPolicy.SIBLINGS).join();
    }

    private static void awaitTrees(SimulatedCluster cluster) {
        assertThat(cluster.scheduler().runUntil(() -> cluster.nodes().stream().allMatch(n -> n.trees().allBuilt()),
                Duration.ofSeconds(10))).as("trees built").isTrue();
    }

    /** The bytes, and the number of exchanges that ended, of every node's exchanges during {@code duration}. */
    private static long[] exchangedDuring(SimulatedCluster cluster, Duration duration) {
        long[] before = exchanged(cluster);
        cluster.scheduler().runFor(duration);
        long[] after = exchanged(cluster);
        return new long[] {after[0] - before[0], after[1] - before[1]};
    }

    private static long[] exchanged(SimulatedCluster cluster) {
        return new long[] {cluster.nodes().stream().mapToLong(n -> n.antiEntropy().bytesExchanged()).sum(),
                cluster.nodes().stream().mapToLong(n -> n.antiEntropy().exchanges()).sum()};
    }

    private static void assertEqualRoots(SimulatedCluster cluster, long seed) {
        Ring ring = cluster.ring();
        for (int p = 0; p < PARTITIONS; p++) {
            List<Member> replicas = ring.preferenceList(ring.partitionStart(p), SimulatedCluster.N);
            int partition = p;
            Set<Long> roots = replicas.stream()
                    .map(m -> cluster.node(Integer.parseInt(m.id().substring("node".length()))).trees().built(partition))
                    .map(PartitionTree::root).collect(Collectors.toSet());
            assertThat(roots).as("seed %d, partition %d", seed, p).hasSize(1);
        }
    }
}
