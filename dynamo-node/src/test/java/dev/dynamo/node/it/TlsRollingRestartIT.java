package dev.dynamo.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.DynamoException;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.Value;
import dev.dynamo.node.transport.TestCertificates;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's procedure for moving a live cluster from clear to TLS, on three JVMs (127.0.0.1-3, N=3
 * R=2 W=2) under a steady load of the starter's client: every node restarted (SIGTERM, a graceful stop)
 * with {@code transitional}, the client replaced by one with the trust bundle, every node restarted with
 * {@code required}. Not one client request fails, every acknowledged write reads back, and at the end
 * a clear client is refused.
 *
 * <p>With one node down, a write needs both others within the quorum timeout. The nodes here wait
 * {@link #QUORUM_TIMEOUT} rather than the default 2 s: on a shared 2-core CI machine one fsync can
 * stall that long (a CI run lost four writes in one such window), and the test is about the move to TLS,
 * not about latency. The client waits longer still, so that it never moves on from a coordinator that
 * is still waiting for its quorum. A failure lists the warnings every node logged.
 */
class TlsRollingRestartIT {

    private static final String SECRET = "tls-rolling-secret";
    private static final int WRITERS = 4;
    private static final Duration CLUSTER_HEALTHY = Duration.ofSeconds(60);
    /** Requests the load makes between steps, so each step is tested with traffic after it too. */
    private static final int REQUESTS_BETWEEN_STEPS = 100;
    private static final Duration QUORUM_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration CLIENT_TIMEOUT = QUORUM_TIMEOUT.multipliedBy(2);

    @TempDir
    Path dir;

    private final NodeProcess[] nodes = new NodeProcess[3];
    private final List<AutoCloseable> clients = new ArrayList<>();
    /** Every node process started, for the warnings in a failure's message. */
    private final List<NodeProcess> launched = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        for (NodeProcess node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void aLiveClusterMovesFromClearToRequiredTlsWithoutAFailedRequest() throws Exception {
        LoopbackCluster cluster = LoopbackCluster.of(3);
        TestCertificates.Authority authority = TestCertificates.authority(dir, "cluster-ca");
        List<TestCertificates.Issued> certificates = IntStream.range(0, 3)
                .mapToObj(i -> authority.issue("node" + (i + 1), cluster.host(i))).toList();
        for (int i = 0; i < 3; i++) {
            nodes[i] = launch(cluster, i, "off");
        }
        for (NodeProcess node : nodes) {
            node.awaitHealthy();
        }
        awaitEveryNodeReachesEveryOther(cluster);

        Load load = new Load(client(settings(cluster.internode(0))));
        load.start();
        try {
            load.awaitRequests(REQUESTS_BETWEEN_STEPS);
            restartEach(cluster, load, "transitional", certificates);

            NettyDynamoClient clear = load.switchTo(client(settings(cluster.internode(1)).withTls(
                    SslContextBuilder.forClient().trustManager(authority.certificate().toFile()).build())));
            load.awaitRequests(REQUESTS_BETWEEN_STEPS);
            clear.close(); // its last requests are answered: the application restarted with the trust bundle
            restartEach(cluster, load, "required", certificates);
        } finally {
            load.stop();
        }

        assertThat(load.failures).as("client requests that failed during the rolling restarts; the nodes warned:%n%s",
                warnings()).isEmpty();
        NettyDynamoClient tlsClient = load.client.get();
        for (Map.Entry<String, String> written : load.acknowledged.entrySet()) {
            assertThat(tlsClient.get("rolling", written.getKey()).value().asText())
                    .as("acknowledged write of %s", written.getKey()).isEqualTo(written.getValue());
        }
        assertThat(load.acknowledged).hasSizeGreaterThan(5 * REQUESTS_BETWEEN_STEPS / 2);

        NettyDynamoClient refused = client(ClientSettings.of(List.of(cluster.internode(2))).withRouting(false));
        assertThatThrownBy(() -> refused.put("rolling", "clear", Value.text("x"), CausalContext.NONE))
                .as("a clear client once every node requires TLS").isInstanceOf(DynamoException.class);
        for (NodeProcess node : nodes) {
            assertThat(node.logTail(Integer.MAX_VALUE)).contains("(TLS REQUIRED)");
        }
    }

    /**
     * Restarts node after node in {@code mode}, each only once every node reaches every other again, and
     * waits for the load to make progress after each.
     */
    private void restartEach(LoopbackCluster cluster, Load load, String mode, List<TestCertificates.Issued> certificates)
            throws Exception {
        for (int i = 0; i < 3; i++) {
            nodes[i].stop();
            TestCertificates.Issued certificate = certificates.get(i);
            nodes[i] = launch(cluster, i, mode,
                    "--spring.ssl.bundle.pem.node.keystore.certificate=" + certificate.certificate().toUri(),
                    "--spring.ssl.bundle.pem.node.keystore.private-key=" + certificate.key().toUri(),
                    "--spring.ssl.bundle.pem.node.truststore.certificate=" + certificate.authority().certificate().toUri(),
                    "--dynamo.transport.ssl.bundle=node", "--dynamo.transport.ssl.mode=" + mode);
            nodes[i].awaitHealthy();
            awaitEveryNodeReachesEveryOther(cluster);
            load.awaitRequests(REQUESTS_BETWEEN_STEPS);
        }
    }

    private NodeProcess launch(LoopbackCluster cluster, int i, String mode, String... tls) throws Exception {
        String[] args = Stream.concat(Stream.of("--dynamo.defaults.timeout=" + QUORUM_TIMEOUT.toSeconds() + "s",
                "--dynamo.transport.request-timeout=" + QUORUM_TIMEOUT.toSeconds() + "s"), Stream.of(tls))
                .toArray(String[]::new);
        NodeProcess node = NodeProcess.launch(name(i, mode), cluster.host(i), cluster.httpPort(i),
                dir.resolve("node" + i), cluster.nodeArgs(i, SECRET, cluster.seeds(3), args));
        launched.add(node);
        return node;
    }

    /** The client's defaults, but waiting {@link #CLIENT_TIMEOUT} for a node's answer. */
    private static ClientSettings settings(String seed) {
        ClientSettings defaults = ClientSettings.of(List.of(seed));
        return new ClientSettings(defaults.seeds(), defaults.connectTimeout(), CLIENT_TIMEOUT, defaults.retries(),
                defaults.retryBackoff(), defaults.ringRefreshInterval(), defaults.routing(), defaults.r(), defaults.w(),
                defaults.credentials(), defaults.maxFrameSize(), defaults.tls());
    }

    /** The WARN and ERROR lines of every node started, each prefixed with its log's name. */
    private String warnings() {
        return launched.stream().flatMap(node -> node.logTail(Integer.MAX_VALUE).lines()
                        .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                        .map(line -> node.log().getFileName() + ": " + line))
                .collect(Collectors.joining("\n"));
    }

    /** Polls until each node's view of a key's replicas (all three nodes) has no replica in error. */
    private void awaitEveryNodeReachesEveryOther(LoopbackCluster cluster) throws Exception {
        for (int i = 0; i < 3; i++) {
            try (KvClient http = new KvClient(nodes[i].baseUrl())) {
                Poll.await("node" + (i + 1) + " reaches every replica", CLUSTER_HEALTHY, () -> {
                    var replicas = http.replicas("probe", "reach");
                    if (replicas.statusCode() != 200) {
                        return KvClient.text(replicas);
                    }
                    String view = new String(replicas.body(), StandardCharsets.UTF_8);
                    DocumentContext json = JsonPath.parse(view);
                    List<Object> errors = json.read("$.replicas[?(@.error != null)]");
                    return json.<List<Object>>read("$.replicas").size() == 3 && errors.isEmpty() ? null : view;
                });
            }
        }
    }

    private NettyDynamoClient client(ClientSettings settings) {
        NettyDynamoClient client = new NettyDynamoClient(settings);
        clients.add(client);
        return client;
    }

    private static String name(int node, String mode) {
        return "TlsRollingRestartIT-node" + (node + 1) + "-" + mode;
    }

    /**
     * Writers that each put a new key and read it back, in a loop, through whichever client is current;
     * every failure is kept.
     */
    private static final class Load {
        final AtomicReference<NettyDynamoClient> client;
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> writers = new ArrayList<>();
        private final AtomicLong requests = new AtomicLong();

        Load(NettyDynamoClient first) {
            client = new AtomicReference<>(first);
        }

        void start() {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("rolling-writer-" + w).start(() -> write(writer)));
            }
        }

        private void write(int writer) {
            for (int n = 0; running.get(); n++) {
                String key = "w" + writer + "-" + n;
                String value = "v" + n;
                NettyDynamoClient current = client.get();
                try {
                    current.put("rolling", key, Value.text(value), CausalContext.NONE);
                    acknowledged.put(key, value);
                    requests.incrementAndGet();
                    Value read = current.get("rolling", key).value();
                    if (read == null || !read.asText().equals(value)) {
                        failures.add(Instant.now() + " read of " + key + " after its write: "
                                + (read == null ? "absent" : read.asText()));
                    }
                    requests.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(Instant.now() + " " + key + ": " + e);
                }
            }
        }

        /** Replaces the client, as an application does when it restarts with the trust bundle; returns the old one. */
        NettyDynamoClient switchTo(NettyDynamoClient next) {
            return client.getAndSet(next);
        }

        /** Waits (bounded) until the writers make {@code count} more requests. */
        void awaitRequests(int count) throws Exception {
            long target = requests.get() + count;
            Poll.await(count + " more client requests", CLUSTER_HEALTHY,
                    () -> requests.get() >= target ? null : requests.get() + " of " + target + "; failures " + failures);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread writer : writers) {
                writer.join(Duration.ofSeconds(30));
            }
        }
    }
}
