package dev.dynamo.test;

import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.test.DynamoTest.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Dynamo cluster for tests: node JVMs on 127.0.0.1 with free ports, seeded with each other, each with a
 * random cluster secret and its data in a temporary directory, ready once every node answers health and serves
 * a ring with every member. {@link DynamoTest} shares one per configuration per JVM; {@link #start} makes one
 * the caller closes.
 */
public final class DynamoCluster implements AutoCloseable {

    /** The operator account of every test node, for the admin API, the CLI and the console. */
    public static final String OPERATOR = "dynamo-test";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final int PORT_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(DynamoCluster.class);
    private static final Map<ClusterSpec, DynamoCluster> shared = new ConcurrentHashMap<>();
    private static boolean reaped;

    private final List<TestNode> nodes;
    private final Path directory;
    private final NodeRuntime runtime;
    /** Where the first node writes the class-data archive when it stops, if there was none; else null. */
    private final Path archiveDraft;
    private final String operatorPassword;
    private final Duration startupTime;

    private DynamoCluster(List<TestNode> nodes, Path directory, NodeRuntime runtime, Path archiveDraft,
            String operatorPassword, Duration startupTime) {
        this.nodes = nodes;
        this.directory = directory;
        this.runtime = runtime;
        this.archiveDraft = archiveDraft;
        this.operatorPassword = operatorPassword;
        this.startupTime = startupTime;
    }

    /** Starts a cluster of {@code nodes} nodes and waits until it is ready; the caller closes it. */
    public static DynamoCluster start(int nodes, Storage storage) {
        ClusterSpec spec = new ClusterSpec(nodes, storage);
        reapOrphansOnce();
        for (int attempt = 1; ; attempt++) {
            try {
                return start(spec);
            } catch (TestNode.PortTaken e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The cluster for {@code spec} that this JVM shares, started on first use and stopped when the JVM exits. */
    static DynamoCluster shared(ClusterSpec spec) {
        return shared.computeIfAbsent(spec, s -> {
            DynamoCluster cluster = start(s.nodes(), s.storage());
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "dynamo-test-cluster-stop"));
            return cluster;
        });
    }

    /** The first cluster of this JVM first stops what dead test JVMs left running (see {@link OrphanNodes}). */
    private static synchronized void reapOrphansOnce() {
        if (!reaped) {
            reaped = true;
            OrphanNodes.reap(Path.of(System.getProperty("java.io.tmpdir")));
        }
    }

    private static DynamoCluster start(ClusterSpec spec) {
        long started = System.nanoTime();
        NodeRuntime runtime = NodeRuntime.get();
        String secret = randomHex(16);
        String operatorPassword = randomHex(12);
        List<TestNode> nodes = new ArrayList<>();
        Path directory = null;
        Path archiveDraft = Files.exists(runtime.archive()) ? null : runtime.archiveDraft();
        try {
            directory = Files.createTempDirectory(OrphanNodes.DIRECTORY_PREFIX);
            OrphanNodes.claim(directory);
            int[] ports = freePorts(2 * spec.nodes());
            int[] httpPorts = Arrays.copyOfRange(ports, 0, spec.nodes());
            int[] transportPorts = Arrays.copyOfRange(ports, spec.nodes(), ports.length);
            List<String> seeds = new ArrayList<>();
            for (int port : transportPorts) {
                seeds.add("127.0.0.1:" + port);
            }
            for (int i = 0; i < spec.nodes(); i++) {
                List<String> command = runtime.command(jvmOptions(runtime, i == 0 ? archiveDraft : null));
                nodes.add(TestNode.launch("node" + (i + 1), directory.resolve("node" + (i + 1)), command,
                        httpPorts[i], transportPorts[i],
                        List.of("--dynamo.cluster.secret=" + secret,
                                "--dynamo.cluster.seeds=" + String.join(",", seeds),
                                "--dynamo.storage.engine=" + spec.storage().name().toLowerCase(Locale.ROOT),
                                "--spring.security.user.name=" + OPERATOR,
                                "--spring.security.user.password=" + operatorPassword,
                                "--spring.main.banner-mode=off")));
            }
            long deadline = started + STARTUP_TIMEOUT.toNanos();
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
                for (TestNode node : nodes) {
                    node.awaitHealthy(http, deadline);
                }
            }
            for (TestNode node : nodes) {
                awaitRing(node, spec.nodes(), deadline);
            }
            DynamoCluster cluster = new DynamoCluster(List.copyOf(nodes), directory, runtime, archiveDraft,
                    operatorPassword, Duration.ofNanos(System.nanoTime() - started));
            log.info("Dynamo test cluster of {} node(s), {} storage, ready in {} ms: {}", spec.nodes(),
                    spec.storage(), cluster.startupTime.toMillis(), cluster.seeds());
            return cluster;
        } catch (IOException e) {
            stop(nodes, directory, runtime, archiveDraft);
            throw new UncheckedIOException("cannot start a Dynamo test cluster", e);
        } catch (RuntimeException e) {
            stop(nodes, directory, runtime, archiveDraft);
            throw e;
        }
    }

    /**
     * Small heaps and the C1 compiler only (tests run short; C2 would spend the CPU the tests need), and the
     * class-data archive of {@link NodeRuntime}, which every node maps once it exists. While it does not, the
     * first node of a cluster writes one to {@code archiveDraft} when it stops, a file of its own: two JVMs
     * dumping into one file could leave a mix that a later JVM maps; a finished draft is renamed into place.
     */
    private static List<String> jvmOptions(NodeRuntime runtime, Path archiveDraft) {
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
        if (Files.exists(runtime.archive())) {
            options.add("-XX:SharedArchiveFile=" + runtime.archive());
        } else if (archiveDraft != null) {
            options.addAll(List.of("-XX:SharedArchiveFile=" + archiveDraft, "-XX:+AutoCreateSharedArchive"));
        }
        return options;
    }

    /** Waits until {@code node} serves clients a ring with all {@code members}, so every replica is in place. */
    private static void awaitRing(TestNode node, int members, long deadline) {
        try (NettyDynamoClient client = new NettyDynamoClient(ClientSettings.of(List.of(node.clientAddress())))) {
            while (true) {
                try {
                    if (client.fetchRing().get(2, TimeUnit.SECONDS).members().size() == members) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not serving yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw node.failure("interrupted while waiting for the ring");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw node.failure("did not serve a ring of " + members + " members in time");
                }
                sleepBriefly();
            }
        }
    }

    /** The pause between two polls of a node that is still forming its ring. */
    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The nodes' client addresses, as {@code dynamo.client.seeds} takes them: {@code 127.0.0.1:port,...}. */
    public String seeds() {
        return String.join(",", nodes.stream().map(TestNode::clientAddress).toList());
    }

    /** Each node's HTTP base URL (data API, actuator, admin API and console), in node order. */
    public List<URI> httpUrls() {
        return nodes.stream().map(TestNode::httpUrl).toList();
    }

    /** The password of the {@link #OPERATOR} account on every node. */
    public String operatorPassword() {
        return operatorPassword;
    }

    /** How long the cluster took from launching its JVMs to being ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /** A client of this cluster with default settings; the caller closes it. */
    public DynamoClient newClient() {
        return new NettyDynamoClient(ClientSettings.of(nodes.stream().map(TestNode::clientAddress).toList()));
    }

    /** Stops every node (gracefully, killing any that outlasts its grace) and deletes their data and logs. */
    @Override
    public void close() {
        stop(nodes, directory, runtime, archiveDraft);
    }

    private static void stop(List<TestNode> nodes, Path directory, NodeRuntime runtime, Path archiveDraft) {
        nodes.forEach(TestNode::stop);
        nodes.forEach(TestNode::awaitExit);
        if (archiveDraft != null && Files.exists(archiveDraft)) {
            try {
                Files.move(archiveDraft, runtime.archive(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                log.warn("Could not keep the nodes' class-data archive {}: {}", runtime.archive(), e.toString());
            }
        }
        if (directory != null) {
            try {
                NodeRuntime.deleteTree(directory);
            } catch (IOException e) {
                log.warn("Could not delete the test cluster's directory {}: {}", directory, e.toString());
            }
        }
    }

    /** {@code count} distinct ports free on 127.0.0.1 now (all held open together, so none comes twice). */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
