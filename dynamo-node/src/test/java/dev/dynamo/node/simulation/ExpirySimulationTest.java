package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.node.antientropy.AntiEntropyProperties;
import dev.dynamo.node.kv.KvService;
import dev.dynamo.node.kv.Quorum;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Values written with a TTL, on the simulated cluster with anti-entropy running: readers see them until
 * the coordinator's clock reaches their expiry, then not, on every node; replicas that hold the same
 * expired value agree, so expiry causes no repair traffic.
 */
class ExpirySimulationTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final int KEYS = 200;
    private static final AntiEntropyProperties ANTI_ENTROPY = new AntiEntropyProperties(Duration.ofSeconds(2), 1000, 2,
            Duration.ofMillis(50), Duration.ofHours(1), 500);

    private final SimulatedCluster cluster = new SimulatedCluster(1, 3, 0, 64, false, ANTI_ENTROPY);

    @Test
    void valuesAreSeenUntilTheyExpireThenOnNoNodeAndAntiEntropyRepairsNothing() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add("session-" + i);
            cluster.await(kv(i % 3).put("sessions", bytes(keys.get(i)), "text/plain", bytes("v" + i), null,
                    Quorum.BUCKETS_OWN, TTL), LIMIT);
        }
        cluster.scheduler().runFor(Duration.ofSeconds(5));
        for (int node = 0; node < 3; node++) {
            for (String key : keys) {
                assertThat(read(node, key).siblings()).as("%s before its expiry", key).hasSize(1);
            }
        }

        cluster.scheduler().runFor(TTL); // past every expiry, with anti-entropy rounds every 2 s throughout

        for (int node = 0; node < 3; node++) {
            for (String key : keys) {
                KvService.Found found = read(node, key);
                assertThat(found.siblings()).as("%s after its expiry", key).isEmpty();
                assertThat(found.context()).as("the context still covers the expired value").isNotNull();
            }
        }
        assertThat(cluster.nodes().stream().mapToLong(n -> n.counted("dynamo.antientropy.exchanges")).sum())
                .as("anti-entropy ran").isPositive();
        assertThat(cluster.nodes()).allSatisfy(n -> {
            assertThat(n.counted("dynamo.antientropy.keys.repaired")).isZero();
            assertThat(n.counted("dynamo.read.repairs")).isZero();
        });
    }

    @Test
    void aWriteWithTheContextOfAReadAfterExpirySupersedesTheExpiredValue() {
        cluster.await(kv(0).put("sessions", bytes("k"), "text/plain", bytes("old"), null, Quorum.BUCKETS_OWN, TTL), LIMIT);
        cluster.scheduler().runFor(TTL);
        KvService.Found expired = read(1, "k");
        assertThat(expired.siblings()).isEmpty();

        cluster.await(kv(1).put("sessions", bytes("k"), "text/plain", bytes("new"), expired.context(),
                Quorum.BUCKETS_OWN, null), LIMIT);
        cluster.scheduler().runFor(Duration.ofSeconds(1));

        StorageKey key = StorageKey.of("sessions", bytes("k"));
        for (SimulatedNode replica : cluster.primaries(key)) {
            assertThat(replica.stored(key).siblings()).as("the expired value superseded, not kept as a sibling")
                    .singleElement().satisfies(s -> assertThat(SimulatedCluster.text(s)).isEqualTo("new"));
        }
    }

    @Test
    void theCoordinatorsClockDecides() {
        cluster.await(kv(0).put("sessions", bytes("k"), "text/plain", bytes("v"), null, Quorum.BUCKETS_OWN, TTL), LIMIT);
        cluster.nodes().get(2).clockOffset(TTL); // this node's clock is a TTL ahead

        assertThat(read(0, "k").siblings()).hasSize(1);
        assertThat(read(2, "k").siblings()).as("expired by the clock of the node coordinating the read").isEmpty();
    }

    private KvService kv(int node) {
        return cluster.nodes().get(node).node().kv();
    }

    private KvService.Found read(int node, String key) {
        CompletableFuture<KvService.Found> read = kv(node).get("sessions", bytes(key), Quorum.BUCKETS_OWN);
        return cluster.await(read, LIMIT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
