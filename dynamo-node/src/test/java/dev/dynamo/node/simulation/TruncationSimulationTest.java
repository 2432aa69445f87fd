package dev.dynamo.node.simulation;

import static dev.dynamo.node.simulation.SimulatedCluster.BUCKET;
import static dev.dynamo.node.simulation.SimulatedCluster.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.node.truncation.Truncations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Bucket truncation on a simulated cluster of five nodes (N=3): every key of the bucket deleted at W
 * replicas, other buckets untouched, and a truncation interrupted by a crash carries on after the restart.
 */
class TruncationSimulationTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final int KEYS = 2000; // 2 s of simulated time at the simulation's 1,000 keys a second

    private final SimulatedCluster cluster = new SimulatedCluster(11, 5, 32);

    @Test
    void everyKeyOfTheBucketIsDeletedAndOtherBucketsKeepTheirs() {
        IntStream.range(0, KEYS).forEach(i -> write(key("k" + i)));
        StorageKey kept = StorageKey.of("kept", "k1".getBytes(StandardCharsets.UTF_8));
        write(kept);
        SimulatedNode truncating = cluster.nodes().get(0);

        truncating.node().truncations().truncate(BUCKET);
        assertThat(cluster.scheduler().runUntil(() -> done(truncating), Duration.ofMinutes(1))).isTrue();

        assertThat(progress(truncating).deleted()).isEqualTo(KEYS);
        assertThat(cluster.await(cluster.nodes().get(3).listing().page(BUCKET, null, 1000), LIMIT).keys()).isEmpty();
        for (int i = 0; i < KEYS; i += 97) {
            assertThat(cluster.await(cluster.nodes().get(i % 5).coordinator().get(key("k" + i), 2), LIMIT).live())
                    .as("k%d", i).isEmpty();
        }
        assertThat(cluster.await(cluster.nodes().get(4).coordinator().get(kept, 2), LIMIT).live()).hasSize(1);
    }

    @Test
    void aTruncationInterruptedByACrashCarriesOnAfterTheRestart() {
        IntStream.range(0, KEYS).forEach(i -> write(key("k" + i)));
        SimulatedNode truncating = cluster.nodes().get(1);
        truncating.node().truncations().truncate(BUCKET);
        cluster.scheduler().runFor(Duration.ofMillis(500));
        long before = progress(truncating).deleted();
        assertThat(before).as("part done before the crash").isBetween(1L, KEYS - 1L);

        truncating.crash();
        cluster.restart(truncating);
        assertThat(cluster.scheduler().runUntil(() -> done(truncating), Duration.ofMinutes(1))).isTrue();

        // a page in flight at the crash may have deleted keys it never counted: they are not listed again
        assertThat(progress(truncating).deleted()).as("counted across the restart").isBetween(KEYS - 100L, (long) KEYS);
        assertThat(cluster.await(cluster.nodes().get(2).listing().page(BUCKET, null, 1000), LIMIT).keys()).isEmpty();
    }

    private void write(StorageKey key) {
        cluster.await(cluster.nodes().get(Math.floorMod(key.hashCode(), 5)).coordinator()
                .write(key, VersionVector.empty(), new Content("v".getBytes(StandardCharsets.UTF_8), "text/plain", 0, false),
                        2), LIMIT);
    }

    private static Truncations.Progress progress(SimulatedNode node) {
        List<Truncations.Progress> all = node.node().truncations().all();
        return all.stream().filter(p -> p.bucket().equals(BUCKET)).findFirst().orElseThrow();
    }

    private static boolean done(SimulatedNode node) {
        return node.isUp() && progress(node).status() == Truncations.Status.DONE;
    }
}
