package dev.dynamo.node.it.nemesis;

import dev.dynamo.node.it.KvClient;
import dev.dynamo.node.it.NodeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Node JVMs each in its own network namespace of a {@link NetnsNetwork}: node {@code i} listens on
 * {@code 10.77.0.<i+1>}, HTTP on 8080 and internode on 7070 (every namespace has its own ports), N=3
 * R=2 W=2 over 64 partitions, with short rounds so a test sees gossip, hints and anti-entropy act.
 * Every connection between nodes goes through an {@link InternodeProxy}. Applies and heals the
 * {@link Fault}s: iptables rules for partitions and loss, the proxy's hold for delays, SIGSTOP/SIGCONT
 * for pauses, SIGKILL and a restart on the same data for kills, and for clock skews the offset written to
 * the node's libfaketime file (every node runs under libfaketime, at {@code +0} until skewed). Faults may
 * overlap, injected and healed from different threads: the network faults active at once compose (a node
 * drops what any partition blocks, loss on loss drops either's share, delays add up), node faults must be
 * on different nodes.
 */
final class NamespacedCluster implements AutoCloseable {

    static final int HTTP_PORT = 8080;
    private static final int TRANSPORT_PORT = 7070;
    private static final String SECRET = "nemesis-cluster-secret";
    static final Path FAKETIME_LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
    /** A node's Date header has whole seconds, and libfaketime reads its file again every second. */
    private static final Duration SKEW_TOLERANCE = Duration.ofSeconds(2);
    private static final Duration SKEW_SETTLE = Duration.ofSeconds(5);

    private final NetnsNetwork network;
    private final InternodeProxy proxy;
    /** The partitions, losses and delays in force; guarded by this. */
    private final List<Fault> activeNetworkFaults = new ArrayList<>();
    private final Path data;
    private final List<String> extraArgs;
    private final NodeProcess[] nodes;
    private final int[] starts;
    private final boolean[] paused;

    private NamespacedCluster(NetnsNetwork network, InternodeProxy proxy, Path data, List<String> extraArgs) {
        this.network = network;
        this.proxy = proxy;
        this.data = data;
        this.extraArgs = List.copyOf(extraArgs);
        this.nodes = new NodeProcess[network.size()];
        this.starts = new int[network.size()];
        this.paused = new boolean[network.size()];
    }

    /** Builds the network and starts {@code size} nodes with {@code extraArgs}; returns once all are healthy. */
    static NamespacedCluster start(int size, Path data, List<String> extraArgs) {
        NetnsNetwork network = NetnsNetwork.create(size);
        InternodeProxy proxy;
        try {
            proxy = InternodeProxy.start(size, TRANSPORT_PORT);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        NamespacedCluster cluster = new NamespacedCluster(network, proxy, data, extraArgs);
        try {
            for (int i = 0; i < size; i++) {
                int from = i;
                network.routeThroughProxy(from, TRANSPORT_PORT, to -> proxy.port(from, to));
            }
            for (int i = 0; i < size; i++) {
                cluster.launch(i);
            }
            for (NodeProcess node : cluster.nodes) {
                node.awaitHealthy();
            }
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    int size() {
        return nodes.length;
    }

    URI baseUrl(int node) {
        return URI.create("http://" + NetnsNetwork.address(node) + ":" + HTTP_PORT);
    }

    /** Node {@code node}'s internode and binary client address, {@code host:port}. */
    String transportAddress(int node) {
        return NetnsNetwork.address(node) + ":" + TRANSPORT_PORT;
    }

    NodeProcess node(int i) {
        return nodes[i];
    }

    /** What went through the internode proxy so far. */
    InternodeProxy.Traffic traffic() {
        return proxy.traffic();
    }

    /** Injects {@code fault}, on top of the faults in force. */
    void inject(Fault fault) {
        switch (fault) {
            case Fault.NodeFault f when f.action() == Fault.NodeFault.Action.PAUSE -> signal(f.node(), "STOP");
            case Fault.NodeFault f -> nodes[f.node()].kill();
            case Fault.Partition p -> changeNetworkFaults(() -> activeNetworkFaults.add(p));
            case Fault.Loss loss -> changeNetworkFaults(() -> activeNetworkFaults.add(loss));
            case Fault.Delay delay -> changeNetworkFaults(() -> activeNetworkFaults.add(delay));
            case Fault.Skew skew -> setClock(skew.node(), skew.offsetSeconds());
        }
    }

    /** Heals {@code fault}, leaving the other faults in force; for a kill, restarts the node and waits until it is healthy. */
    void heal(Fault fault) {
        switch (fault) {
            case Fault.NodeFault f when f.action() == Fault.NodeFault.Action.PAUSE -> signal(f.node(), "CONT");
            case Fault.NodeFault f -> {
                launch(f.node());
                nodes[f.node()].awaitHealthy();
            }
            case Fault.Partition p -> changeNetworkFaults(() -> activeNetworkFaults.remove(p));
            case Fault.Loss loss -> changeNetworkFaults(() -> activeNetworkFaults.remove(loss));
            case Fault.Delay delay -> changeNetworkFaults(() -> activeNetworkFaults.remove(delay));
            case Fault.Skew skew -> setClock(skew.node(), 0);
        }
    }

    /** Changes the network faults in force by {@code change}, then applies them all at once. */
    private synchronized void changeNetworkFaults(Runnable change) {
        change.run();
        applyNetworkFaults();
    }

    /** Replaces every namespace's rules and the proxy's delays by those of the network faults in force. */
    private void applyNetworkFaults() {
        for (int i = 0; i < size(); i++) {
            Set<Integer> blocked = new HashSet<>();
            double kept = 1; // the share of packets every loss rule lets through
            for (Fault fault : activeNetworkFaults) {
                switch (fault) {
                    case Fault.Partition p -> blocked.addAll(p.blocked().get(i));
                    case Fault.Loss loss -> kept *= 1 - loss.probability();
                    default -> { } // delays: to the proxy, below
                }
            }
            network.filter(i, blocked, 1 - kept);
        }
        proxy.delay(activeNetworkFaults.stream().filter(Fault.Delay.class::isInstance).map(Fault.Delay.class::cast)
                .toList());
    }

    /** Heals everything: no rules, no delay, no paused node, every node running. */
    void healAll() {
        changeNetworkFaults(activeNetworkFaults::clear);
        for (int i = 0; i < size(); i++) {
            writeClockFile(i, 0);
            if (paused[i]) {
                signal(i, "CONT");
            }
            if (!nodes[i].isAlive()) {
                launch(i);
                nodes[i].awaitHealthy();
            }
        }
    }

    /**
     * Sets node {@code node}'s wall clock {@code offsetSeconds} off the real one and waits until the node
     * reports it (its HTTP Date header), so a skew is known to have taken effect when the fault starts.
     */
    private void setClock(int node, long offsetSeconds) {
        writeClockFile(node, offsetSeconds);
        Duration wanted = Duration.ofSeconds(offsetSeconds);
        long deadline = System.nanoTime() + SKEW_SETTLE.toNanos();
        Duration seen = clockOffset(node);
        while (seen.minus(wanted).abs().compareTo(SKEW_TOLERANCE) > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(Fault.name(node) + "'s clock is " + seen + " off, not " + wanted
                        + ", " + SKEW_SETTLE + " after writing " + clockFile(node));
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            seen = clockOffset(node);
        }
    }

    /** How far node {@code node}'s wall clock is from ours, by the Date header of its health answer. */
    private Duration clockOffset(int node) {
        try (KvClient client = new KvClient(baseUrl(node))) {
            String date = client.health().headers().firstValue("Date").orElseThrow();
            Instant theirs = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Duration.between(Instant.now(), theirs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + Fault.name(node) + "'s clock", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + Fault.name(node) + "'s clock", e);
        }
    }

    /** libfaketime's offset format: signed seconds. */
    private void writeClockFile(int node, long offsetSeconds) {
        try {
            Files.writeString(clockFile(node), String.format(java.util.Locale.ROOT, "%+d%n", offsetSeconds));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + clockFile(node), e);
        }
    }

    private Path clockFile(int node) {
        return data.resolve("clock-n" + (node + 1) + ".faketime");
    }

    private void signal(int node, String signal) {
        Shell.run("kill", "-" + signal, Long.toString(nodes[node].pid()));
        paused[node] = signal.equals("STOP");
    }

    private void launch(int i) {
        List<String> seeds = new ArrayList<>();
        for (int k = 0; k < size(); k++) {
            seeds.add(transportAddress(k));
        }
        String[] args = Stream.concat(Stream.of("--dynamo.node.id=node" + (i + 1),
                "--dynamo.cluster.secret=" + SECRET, "--dynamo.cluster.seeds=" + String.join(",", seeds),
                "--dynamo.transport.host=" + NetnsNetwork.address(i), "--dynamo.transport.port=" + TRANSPORT_PORT,
                "--dynamo.cluster.partitions=64", "--dynamo.gossip.interval=200ms",
                "--dynamo.handoff.interval=200ms", "--dynamo.antientropy.interval=1s",
                "--dynamo.antientropy.max-foreground-latency=0"), extraArgs.stream()).toArray(String[]::new);
        starts[i]++;
        if (!Files.exists(clockFile(i))) { // a restarted node keeps its clock
            writeClockFile(i, 0);
        }
        // The file is read again every second, so a skew needs no restart; nanoTime (timeouts, Netty's
        // timers) is left real, as a wall-clock step leaves the monotonic clock. The library turns its
        // "monotonic fix" on by itself with this glibc, and then the JVM's timed waits return at once: its
        // periodic threads spun, a node took a minute to start and an idle JVM burnt a core; off, an idle
        // JVM burns nothing and a clock read costs about 60 ns instead of 22.
        Map<String, String> faketime = Map.of("LD_PRELOAD", FAKETIME_LIBRARY.toString(),
                "FAKETIME_TIMESTAMP_FILE", clockFile(i).toString(), "FAKETIME_CACHE_DURATION", "1",
                "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_FORCE_MONOTONIC_FIX", "0");
        nodes[i] = NodeProcess.launch("NemesisIT-n" + (i + 1) + "-start" + starts[i], NetnsNetwork.address(i),
                HTTP_PORT, data.resolve("node" + (i + 1)), NetnsNetwork.exec(i), faketime,
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args);
        paused[i] = false;
    }

    /** Kills every node (SIGCONT first if paused), then stops the proxy and deletes the namespaces and the bridge. */
    @Override
    public void close() {
        try {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null) {
                    if (paused[i]) {
                        Shell.attempt(null, "kill", "-CONT", Long.toString(nodes[i].pid()));
                    }
                    nodes[i].close();
                }
            }
        } finally {
            try {
                proxy.close();
            } finally {
                network.close();
            }
        }
    }
}
