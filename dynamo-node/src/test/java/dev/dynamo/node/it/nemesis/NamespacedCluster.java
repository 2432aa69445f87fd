package dev.dynamo.node.it.nemesis;

import dev.dynamo.node.it.NodeProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Node JVMs each in its own network namespace of a {@link NetnsNetwork}: node {@code i} listens on
 * {@code 10.77.0.<i+1>}, HTTP on 8080 and internode on 7070 (every namespace has its own ports), N=3
 * R=2 W=2 over 64 partitions, with short rounds so a test sees gossip, hints and anti-entropy act.
 * Every connection between nodes goes through an {@link InternodeProxy}. Applies and heals the
 * {@link Fault}s: iptables rules for partitions and loss, the proxy's hold for delays, SIGSTOP/SIGCONT
 * for pauses, SIGKILL and a restart on the same data for kills. Faults may overlap, injected and healed
 * from different threads: the network faults active at once compose (a node drops what any partition
 * blocks, loss on loss drops either's share, delays add up), node faults must be on different nodes.
 */
final class NamespacedCluster implements AutoCloseable {

    static final int HTTP_PORT = 8080;
    private static final int TRANSPORT_PORT = 7070;
    private static final String SECRET = "nemesis-cluster-secret";

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
            if (paused[i]) {
                signal(i, "CONT");
            }
            if (!nodes[i].isAlive()) {
                launch(i);
                nodes[i].awaitHealthy();
            }
        }
    }

    private void signal(int node, String signal) {
        Shell.run("kill", "-" + signal, Long.toString(nodes[node].pid()));
        paused[node] = signal.equals("STOP");
    }

    private void launch(int i) {
        List<String> seeds = new ArrayList<>();
        for (int k = 0; k < size(); k++) {
            seeds.add(NetnsNetwork.address(k) + ":" + TRANSPORT_PORT);
        }
        String[] args = Stream.concat(Stream.of("--dynamo.node.id=node" + (i + 1),
                "--dynamo.cluster.secret=" + SECRET, "--dynamo.cluster.seeds=" + String.join(",", seeds),
                "--dynamo.transport.host=" + NetnsNetwork.address(i), "--dynamo.transport.port=" + TRANSPORT_PORT,
                "--dynamo.cluster.partitions=64", "--dynamo.gossip.interval=200ms",
                "--dynamo.handoff.interval=200ms", "--dynamo.antientropy.interval=1s",
                "--dynamo.antientropy.max-foreground-latency=0"), extraArgs.stream()).toArray(String[]::new);
        starts[i]++;
        nodes[i] = NodeProcess.launch("NemesisIT-n" + (i + 1) + "-start" + starts[i], NetnsNetwork.address(i),
                HTTP_PORT, data.resolve("node" + (i + 1)), NetnsNetwork.exec(i), Map.of(),
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
