package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.kv.KvService;
import dev.dynamo.node.kv.Quorum;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expired values are reaped like tombstones, on the simulated 3-node cluster with anti-entropy and reaping
 * running: every replica's store shrinks back, anti-entropy repairs nothing, no key reads back; a replica
 * down through the expiry holds the reaping back until it returns, and nothing expired is ever seen again.
 */
class ExpiryReapingSimulationTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final Duration TTL = Duration.ofSeconds(10);
    /** Rounds every 5 s, a 20 s grace, no admission control (no client load here). */
    private static final AntiEntropyProperties SETTINGS = new AntiEntropyProperties(INTERVAL, 100_000, 2, Duration.ZERO,
            GRACE, 500);
    /** Long enough for a sweep (at most a grace apart), the grace, and rounds to take every batch. */
    private static final Duration REAPED_WITHIN = TTL.plus(GRACE.multipliedBy(3)).plus(INTERVAL.multipliedBy(30));

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 3);
    }

    /** One seed by default (10,000 keys take about 15 s); {@code -Dexpiry.keys=N} writes N keys instead. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = 1)
    void expiredValuesAreReapedOnEveryReplicaWithoutRepairTraffic(long seed) {
        SimulatedCluster cluster = cluster(seed);
        List<StorageKey> keys = writeExpiring(cluster, Integer.getInteger("expiry.keys", 10_000));
        cluster.scheduler().runFor(Duration.ofSeconds(1));
        long[] before = cluster.nodes().stream().mapToLong(n -> n.disk().sizeInBytes()).toArray();

        assertThat(cluster.scheduler().runUntil(() -> allReaped(cluster, keys), REAPED_WITHIN))
                .as("seed %d: every replica reaped every expired key", seed).isTrue();

        for (int n = 0; n < 3; n++) {
            assertThat(cluster.nodes().get(n).disk().sizeInBytes()).as("seed %d: %s shrank back", seed, cluster.nodes().get(n))
                    .isLessThan(before[n] / 10);
        }
        assertThat(total(cluster, "dynamo.expired.reaped")).as("seed %d: each key on its 3 replicas", seed)
                .isEqualTo(3L * keys.size());
        assertThat(total(cluster, "dynamo.reaped.bytes")).isGreaterThan(3L * keys.size() * 10);
        assertThat(total(cluster, "dynamo.antientropy.keys.repaired")).as("seed %d: no repair traffic", seed).isZero();
        assertThat(total(cluster, "dynamo.tombstones.reaped")).isZero();
        for (StorageKey key : keys.subList(0, 100)) {
            assertThat(read(cluster, 0, key).siblings()).isEmpty();
        }
        assertThat(cluster.nodes()).allMatch(n -> n.trees().tombstones().held() == 0);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReplicaDownThroughTheExpiryHoldsReapingBackAndNothingExpiredComesBack(long seed) {
        SimulatedCluster cluster = cluster(seed);
        List<StorageKey> keys = writeExpiring(cluster, 300);
        cluster.scheduler().runFor(Duration.ofSeconds(1));
        SimulatedNode down = cluster.node(1 + cluster.random().nextInt(3));
        down.crash();

        cluster.scheduler().runFor(REAPED_WITHIN);
        List<SimulatedNode> up = cluster.nodes().stream().filter(n -> n != down).toList();
        assertThat(keys).as("seed %d: kept while %s, which holds them too, cannot confirm", seed, down)
                .allMatch(k -> up.stream().allMatch(n -> n.disk().get(Namespace.DATA, k.encode()) != null));
        for (StorageKey key : keys) {
            assertThat(read(cluster, cluster.nodes().indexOf(up.getFirst()), key).siblings()).isEmpty();
        }

        down.start();
        assertThat(cluster.scheduler().runUntil(() -> allReaped(cluster, keys), REAPED_WITHIN))
                .as("seed %d: reaped once %s is back", seed, down).isTrue();
        for (StorageKey key : keys) {
            assertThat(read(cluster, cluster.nodes().indexOf(down), key).siblings()).isEmpty();
        }
        assertThat(total(cluster, "dynamo.antientropy.keys.repaired")).isZero();
    }

    private static SimulatedCluster cluster(long seed) {
        SimulatedCluster cluster = new SimulatedCluster(seed, 3, 0, 64, false, SETTINGS);
        assertThat(cluster.scheduler().runUntil(() -> cluster.nodes().stream().allMatch(n -> n.trees().allBuilt()),
                Duration.ofSeconds(10))).as("trees built").isTrue();
        return cluster;
    }

    private static List<StorageKey> writeExpiring(SimulatedCluster cluster, int count) {
        List<StorageKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = ("session-" + i).getBytes(StandardCharsets.UTF_8);
            cluster.await(kv(cluster, i % 3).put("sessions", key, "text/plain", new byte[100], null,
                    Quorum.BUCKETS_OWN, TTL), Duration.ofSeconds(10));
            keys.add(StorageKey.of("sessions", key));
        }
        return keys;
    }

    private static boolean allReaped(SimulatedCluster cluster, List<StorageKey> keys) {
        return keys.stream().allMatch(k -> cluster.nodes().stream().allMatch(n -> n.disk().get(Namespace.DATA, k.encode()) == null));
    }

    private static KvService.Found read(SimulatedCluster cluster, int node, StorageKey key) {
        return cluster.await(kv(cluster, node).get(key.bucket(), key.key(), Quorum.BUCKETS_OWN), Duration.ofSeconds(10));
    }

    private static KvService kv(SimulatedCluster cluster, int node) {
        return cluster.nodes().get(node).node().kv();
    }

    private static long total(SimulatedCluster cluster, String counter) {
        return cluster.nodes().stream().mapToLong(n -> n.counted(counter)).sum();
    }
}
