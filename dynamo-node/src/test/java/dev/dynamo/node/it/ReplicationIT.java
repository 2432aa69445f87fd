package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in three JVMs on 127.0.0.1, .2 and .3, N=3, R=2, W=2, each on its own LMDB
 * directory. One is killed with SIGKILL: reads and writes through the other two keep succeeding,
 * and the writes it missed wait as hints; restarted, it receives them, and every replica of every
 * key holds its write. A node with another cluster secret cannot join.
 */
class ReplicationIT {

    private static final String BUCKET = "replicated";
    private static final String SECRET = "replication-it-secret";
    private static final Duration HINTS_ARRIVE = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private final List<NodeProcess> running = new ArrayList<>();
    private final LoopbackCluster cluster = LoopbackCluster.of(3);
    private String seeds;

    @AfterEach
    void stopAll() {
        running.forEach(NodeProcess::close);
    }

    @Test
    void aKilledReplicaGetsTheWritesItMissedAsHintsAfterRestart() throws Exception {
        seeds = cluster.seeds(3);
        NodeProcess[] nodes = new NodeProcess[3];
        for (int i = 0; i < 3; i++) {
            nodes[i] = launch(i, "start");
        }
        for (NodeProcess node : nodes) {
            node.awaitHealthy();
        }
        try (KvClient a = new KvClient(nodes[0].baseUrl()); KvClient b = new KvClient(nodes[1].baseUrl())) {
            Map<String, String> before = writeAndReadBack(a, b, "before-", 20);

            nodes[2].kill();
            Map<String, String> during = writeAndReadBack(a, b, "during-", 40);
            for (Map.Entry<String, String> e : before.entrySet()) {
                assertThat(value(b.get(BUCKET, e.getKey()))).as("read of %s with a replica down", e.getKey())
                        .isEqualTo(e.getValue());
            }

            nodes[2] = launch(2, "restart");
            nodes[2].awaitHealthy();
            for (Map.Entry<String, String> e : during.entrySet()) {
                awaitOnAllReplicas(a, e.getKey(), e.getValue());
            }
        }
    }

    @Test
    void aNodeWithAnotherSecretCannotJoin() throws Exception {
        seeds = cluster.seeds(1);
        NodeProcess member = launch(0, "member");
        member.awaitHealthy();
        // the second node lists the member and itself as seeds, but holds another secret
        NodeProcess stranger = NodeProcess.launch("ReplicationIT-stranger", cluster.host(1), cluster.httpPort(1),
                data.resolve("stranger"), cluster.nodeArgs(1, "not-the-cluster-secret", cluster.seeds(2)));
        running.add(stranger);
        long deadline = System.nanoTime() + NodeProcess.STARTUP_TIMEOUT.toNanos();
        try (KvClient client = new KvClient(stranger.baseUrl())) {
            HttpResponse<byte[]> health = null;
            while (health == null || !stranger.logTail(200).contains("refused authentication")) {
                assertThat(System.nanoTime() - deadline).as("stranger log:%n%s", stranger.logTail(60)).isNegative();
                assertThat(stranger.isAlive()).as("stranger alive").isTrue();
                health = healthOrNull(client);
                Thread.sleep(100); // polling a log file and a port: there is no event to wait on
            }
            assertThat(health.statusCode()).as("stranger health: %s", KvClient.text(health)).isEqualTo(503);
            HttpResponse<byte[]> put = client.put(BUCKET, "k", "v".getBytes(StandardCharsets.UTF_8));
            assertThat(put.statusCode()).as(KvClient.text(put)).isEqualTo(503);
        }
    }

    private static HttpResponse<byte[]> healthOrNull(KvClient client) throws InterruptedException {
        try {
            return client.health();
        } catch (java.io.IOException notListeningYet) {
            return null;
        }
    }

    private NodeProcess launch(int i, String phase) {
        NodeProcess node = NodeProcess.launch("ReplicationIT-node" + (i + 1) + "-" + phase, cluster.host(i),
                cluster.httpPort(i), data.resolve("node" + i),
                cluster.nodeArgs(i, SECRET, seeds, "--dynamo.handoff.interval=200ms"));
        running.add(node);
        return node;
    }

    /** Writes {@code count} keys alternately through a and b, each read back through the other. */
    private static Map<String, String> writeAndReadBack(KvClient a, KvClient b, String prefix, int count)
            throws Exception {
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + i;
            String value = "value of " + key;
            KvClient writer = i % 2 == 0 ? a : b;
            KvClient reader = i % 2 == 0 ? b : a;
            HttpResponse<byte[]> put = writer.put(BUCKET, key, value.getBytes(StandardCharsets.UTF_8));
            assertThat(put.statusCode()).as("PUT %s: %s", key, KvClient.text(put)).isEqualTo(204);
            assertThat(value(reader.get(BUCKET, key))).as("GET %s", key).isEqualTo(value);
            written.put(key, value);
        }
        return written;
    }

    private static String value(HttpResponse<byte[]> get) {
        assertThat(get.statusCode()).as(KvClient.text(get)).isEqualTo(200);
        return new String(get.body(), StandardCharsets.UTF_8);
    }

    /** Polls the ring endpoint until all three replicas hold {@code value} for {@code key}. */
    private static void awaitOnAllReplicas(KvClient client, String key, String value) throws Exception {
        String expected = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + HINTS_ARRIVE.toNanos();
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            HttpResponse<byte[]> replicas = client.replicas(BUCKET, key);
            last = KvClient.text(replicas);
            if (replicas.statusCode() == 200) {
                List<String> holders = JsonPath.read(new String(replicas.body(), StandardCharsets.UTF_8),
                        "$.replicas[?(@.error == null)].siblings[*].valueBase64");
                if (holders.stream().filter(expected::equals).count() == 3) {
                    return;
                }
            }
            Thread.sleep(100); // the hint delivery job runs every 200 ms; there is no event to wait on
        }
        throw new AssertionError("within " + HINTS_ARRIVE + " not all three replicas held " + key + ": " + last);
    }
}
