package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in three JVMs on 127.0.0.1, .2 and .3, N=3, R=2, W=2, anti-entropy every second and
 * hint delivery every hour, so only anti-entropy can repair a replica within the test. A node that
 * missed writes while killed, and a node restarted on an empty data directory (a replaced disk),
 * get every value back; the latter rejoins its cluster rather than founding a new one. With a tombstone
 * grace of 2 s, keys deleted while the node was killed stay tombstones until it is back (it holds the
 * live values), and are then reaped on every replica.
 */
class AntiEntropyIT {

    private static final String BUCKET = "entropy";
    private static final String SECRET = "anti-entropy-it-secret";
    private static final int PARTITIONS = 16;
    private static final int KEYS = 200;
    private static final Duration CONVERGES = Duration.ofSeconds(30);
    private static final String HINTS_DELIVERED = "dynamo_hints_delivered_total";
    private static final String KEYS_REPAIRED = "dynamo_antientropy_keys_repaired_total";
    private static final String TOMBSTONES_REAPED = "dynamo_tombstones_reaped_total";
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int DELETED = 50;
    private static final Configuration JSON = Configuration.defaultConfiguration()
            .addOptions(Option.DEFAULT_PATH_LEAF_TO_NULL);

    @TempDir
    Path data;

    private final List<NodeProcess> running = new ArrayList<>();
    private final LoopbackCluster cluster = LoopbackCluster.of(3);

    @AfterEach
    void stopAll() {
        running.forEach(NodeProcess::close);
    }

    @Test
    void aReplicaThatMissedWritesAndDeletesGetsThemByAntiEntropyNotHintsAndTheDeletedKeysStayDeleted()
            throws Exception {
        NodeProcess[] nodes = startCluster();
        try (KvClient a = new KvClient(nodes[0].baseUrl()); KvClient b = new KvClient(nodes[1].baseUrl())) {
            Map<String, String> deleted = write(a, b, "deleted-", DELETED);
            awaitOnAllReplicas(a, deleted);
            nodes[2].kill();
            Map<String, String> written = write(a, b, "missed-", KEYS);
            int i = 0;
            for (String key : deleted.keySet()) {
                HttpResponse<byte[]> delete = (i++ % 2 == 0 ? a : b).delete(BUCKET, key);
                assertThat(delete.statusCode()).as("DELETE %s: %s", key, KvClient.text(delete)).isEqualTo(204);
            }
            // past the grace and several rounds, node1 and node2 still hold the tombstones node3 lacks
            String sample = deleted.keySet().iterator().next();
            long downUntil = System.nanoTime() + GRACE.multipliedBy(2).toNanos();
            while (System.nanoTime() - downUntil < 0) {
                DocumentContext view = json(a.replicas(BUCKET, sample));
                assertThat(view.read("$.replicas[?(@.error == null)].siblings[*].tombstone", List.class))
                        .as("tombstones while node3 is down: %s", view.jsonString()).containsExactly(true, true);
                Thread.sleep(200); // nothing must happen: there is no event to wait on
            }

            nodes[2] = launch(2, "restart");
            nodes[2].awaitHealthy();
            long started = System.nanoTime();
            awaitOnAllReplicas(a, written);
            System.out.printf("AntiEntropyIT: %d keys missed by a killed node were on all replicas %d ms after its "
                    + "restart%n", written.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
            awaitReaped(a, deleted.keySet());
            System.out.printf("AntiEntropyIT: %d keys deleted while it was down were reaped on every replica %d ms "
                    + "after its restart%n", DELETED, Duration.ofNanos(System.nanoTime() - started).toMillis());
            for (String key : deleted.keySet()) {
                assertThat(b.get(BUCKET, key).statusCode()).as("GET %s", key).isEqualTo(404);
            }
            assertThat(counter(a, HINTS_DELIVERED)).as("hints delivered by node1").isZero();
            assertThat(counter(b, HINTS_DELIVERED)).as("hints delivered by node2").isZero();
            try (KvClient c = new KvClient(nodes[2].baseUrl())) {
                assertThat(counter(a, KEYS_REPAIRED) + counter(b, KEYS_REPAIRED) + counter(c, KEYS_REPAIRED))
                        .as("keys anti-entropy repaired on the three nodes").isGreaterThanOrEqualTo(KEYS);
                assertThat(counter(a, TOMBSTONES_REAPED) + counter(b, TOMBSTONES_REAPED)
                        + counter(c, TOMBSTONES_REAPED)).as("tombstones reaped on the three nodes")
                        .isGreaterThanOrEqualTo(3 * DELETED);
            }
        }
    }

    @Test
    void aNodeWithAReplacedDiskRejoinsItsClusterAndGetsItsDataBack() throws Exception {
        NodeProcess[] nodes = startCluster();
        try (KvClient a = new KvClient(nodes[0].baseUrl()); KvClient b = new KvClient(nodes[1].baseUrl())) {
            Map<String, String> written = write(a, b, "kept-", KEYS);
            awaitOnAllReplicas(a, written);
            double repairedBefore = counter(a, KEYS_REPAIRED) + counter(b, KEYS_REPAIRED);
            String cluster = json(a.ring()).read("$.cluster", String.class);
            assertThat(cluster).as("cluster name").isNotBlank();

            nodes[2].kill();
            deleteRecursively(data.resolve("node2"));
            nodes[2] = launch(2, "empty-disk");
            nodes[2].awaitHealthy();
            long started = System.nanoTime();
            try (KvClient c = new KvClient(nodes[2].baseUrl())) {
                DocumentContext ring = json(c.ring());
                long deadline = System.nanoTime() + CONVERGES.toNanos();
                while (!ring.read("$.formed", Boolean.class) && System.nanoTime() - deadline < 0) {
                    Thread.sleep(100); // gossip runs every 200 ms; there is no event to wait on
                    ring = json(c.ring());
                }
                assertThat(ring.read("$.cluster", String.class)).as("cluster node3 follows: %s", ring.jsonString())
                        .isEqualTo(cluster);
                assertThat(ring.read("$.member", Boolean.class)).as("node3 a member: %s", ring.jsonString()).isTrue();
                awaitOnAllReplicas(c, written);
                assertThat(counter(a, KEYS_REPAIRED) + counter(b, KEYS_REPAIRED) + counter(c, KEYS_REPAIRED)
                        - repairedBefore).as("keys anti-entropy repaired since node3 lost its disk")
                        .isGreaterThanOrEqualTo(KEYS);
            }
            System.out.printf("AntiEntropyIT: %d keys were back on a node with a replaced disk %d ms after its "
                    + "restart%n", written.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
    }

    private NodeProcess[] startCluster() {
        NodeProcess[] nodes = new NodeProcess[3];
        for (int i = 0; i < 3; i++) {
            nodes[i] = launch(i, "start");
        }
        for (NodeProcess node : nodes) {
            node.awaitHealthy();
        }
        return nodes;
    }

    private NodeProcess launch(int i, String phase) {
        NodeProcess node = NodeProcess.launch("AntiEntropyIT-node" + (i + 1) + "-" + phase, cluster.host(i),
                cluster.httpPort(i), data.resolve("node" + i), cluster.nodeArgs(i, SECRET, cluster.seeds(3),
                "--dynamo.cluster.partitions=" + PARTITIONS,
                "--dynamo.gossip.interval=200ms", "--dynamo.antientropy.interval=1s",
                // the first requests of cold JVMs on a shared machine are slow, and admission control
                // (tested in the simulation) would defer repair for the whole window: this test is about repair
                "--dynamo.antientropy.max-foreground-latency=0",
                // hints wait longer than any test: what reaches a replica got there by anti-entropy
                "--dynamo.handoff.interval=1h",
                "--dynamo.antientropy.tombstone-grace=" + GRACE.toMillis() + "ms"));
        running.add(node);
        return node;
    }

    /** Writes {@code count} keys alternately through a and b, with W=2 (no reads: they would repair). */
    private static Map<String, String> write(KvClient a, KvClient b, String prefix, int count) throws Exception {
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + i;
            String value = "value of " + key;
            HttpResponse<byte[]> put = (i % 2 == 0 ? a : b).put(BUCKET, key, value.getBytes(StandardCharsets.UTF_8));
            assertThat(put.statusCode()).as("PUT %s: %s", key, KvClient.text(put)).isEqualTo(204);
            written.put(key, value);
        }
        return written;
    }

    /** Polls the ring endpoint until all three replicas of every key hold exactly its value. */
    private static void awaitOnAllReplicas(KvClient client, Map<String, String> written) throws Exception {
        awaitEachKey(written.keySet(), "all replicas hold its value",
                key -> client.replicasHold(BUCKET, key, written.get(key)));
    }

    /** Polls the ring endpoint until no replica of any of {@code keys} holds anything for it: reaped everywhere. */
    private static void awaitReaped(KvClient client, Iterable<String> keys) throws Exception {
        awaitEachKey(keys, "no replica holds it", key -> client.replicasHoldNothing(BUCKET, key));
    }

    /** What a key's replicas hold while they do not yet meet a condition; null once they do. */
    @FunctionalInterface
    private interface Unmet {
        String of(String key) throws Exception;
    }

    /** Polls each key until {@code unmet} says null, all within {@link #CONVERGES}. */
    private static void awaitEachKey(Iterable<String> keys, String what, Unmet unmet) throws Exception {
        long deadline = System.nanoTime() + CONVERGES.toNanos();
        for (String key : keys) {
            String held;
            while ((held = unmet.of(key)) != null) {
                assertThat(System.nanoTime() - deadline)
                        .as("within %s for %s: %s; they hold %s", CONVERGES, key, what, held).isNegative();
                Thread.sleep(100); // rounds run every second; there is no event to wait on
            }
        }
    }

    /** The counter {@code name} (summed over its tags) as the node's Prometheus scrape gives it. */
    private static double counter(KvClient client, String name) throws Exception {
        HttpResponse<byte[]> scrape = client.operatorGet("/actuator/prometheus");
        assertThat(scrape.statusCode()).as(KvClient.text(scrape)).isEqualTo(200);
        List<String> samples = new String(scrape.body(), StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")).toList();
        assertThat(samples).as("%s in the scrape of %s", name, client).isNotEmpty();
        return samples.stream().mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static DocumentContext json(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(KvClient.text(response)).isEqualTo(200);
        return JsonPath.using(JSON).parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
