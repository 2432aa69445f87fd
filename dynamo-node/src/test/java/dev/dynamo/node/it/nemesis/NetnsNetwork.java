package dev.dynamo.node.it.nemesis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * One Linux network namespace per node ({@code dynnem-1} ...), each with a veth pair into a bridge
 * {@code dynnem-br} in the host namespace: node {@code i} (from 0) is {@code 10.77.0.<i+1>}, the
 * bridge (where the test's clients sit) {@code 10.77.0.254}. Faults are iptables rules inside the
 * nodes' namespaces, replaced atomically with {@code iptables-restore}: partitions drop what a node
 * receives from the peers it must not reach, loss drops a random share of what it receives from any
 * peer. Traffic between the test and a node is never dropped, so the test always sees every node.
 *
 * <p>Connections between nodes go through the {@link InternodeProxy} in the host namespace: NAT rules
 * in each node's namespace ({@link #routeThroughProxy}) send them there, and the proxy dials the
 * peer from the node's {@linkplain #proxiedAddress proxied address} {@code 10.77.0.<101+i>}, an extra
 * address of the bridge. The filter rules drop a peer's traffic by its proxied address too.
 *
 * <p>One run at a time on a machine: {@link #create} takes a file lock, then removes whatever a
 * crashed earlier run left (its namespaces, the processes still in them, the bridge). {@link #close}
 * kills nothing (the nodes are the caller's) but deletes every namespace and the bridge.
 */
final class NetnsNetwork implements AutoCloseable {

    static final String PREFIX = "dynnem-";
    private static final String BRIDGE = PREFIX + "br";
    private static final String SUBNET = "10.77.0.";
    private static final String CLIENT_ADDRESS = SUBNET + "254";
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "dynamo-nemesis.lock");

    private final int size;
    private final FileChannel lockFile;
    private final FileLock lock;

    private NetnsNetwork(int size, FileChannel lockFile, FileLock lock) {
        this.size = size;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Cleans up after any earlier run, then builds the bridge and {@code size} namespaces. */
    static NetnsNetwork create(int size) {
        FileChannel channel;
        FileLock lock;
        try {
            channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + LOCK, e);
        }
        if (lock == null) {
            throw new IllegalStateException("another nemesis run holds " + LOCK + "; one run at a time per machine");
        }
        NetnsNetwork network = new NetnsNetwork(size, channel, lock);
        try {
            removeStale();
            network.build();
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Null when this machine can run the harness (root; ip netns, iptables-restore, libfaketime); else why not. */
    static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root (namespaces, veth pairs and iptables need CAP_NET_ADMIN)";
        }
        for (String tool : List.of("ip", "iptables-restore")) {
            if (Shell.attempt(null, "sh", "-c", "command -v " + tool).status() != 0) {
                return tool + " is not installed (run .ci/nemesis-deps)";
            }
        }
        if (!java.nio.file.Files.isReadable(NamespacedCluster.FAKETIME_LIBRARY)) {
            return NamespacedCluster.FAKETIME_LIBRARY + " is not installed (run .ci/nemesis-deps)";
        }
        return null;
    }

    int size() {
        return size;
    }

    static String namespace(int node) {
        return PREFIX + (node + 1);
    }

    static String address(int node) {
        return SUBNET + (node + 1);
    }

    /**
     * Node {@code node} as the {@link InternodeProxy} stands for it, on the bridge: where the proxy
     * listens for connections to it, and the source of the proxy's connections from it.
     */
    static String proxiedAddress(int node) {
        return SUBNET + (101 + node);
    }

    /** The command prefix that runs a program inside node {@code node}'s namespace (it execs, keeping the PID). */
    static List<String> exec(int node) {
        return List.of("ip", "netns", "exec", namespace(node));
    }

    /**
     * Node {@code node} drops every packet from the nodes in {@code blocked}, and a random share
     * {@code loss} (0 for none) of those from every other node. Replaces the node's earlier rules.
     */
    void filter(int node, Set<Integer> blocked, double loss) {
        StringBuilder rules = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        rules.append("-A INPUT -s ").append(CLIENT_ADDRESS).append(" -j ACCEPT\n");
        for (int peer : blocked) {
            rules.append("-A INPUT -s ").append(address(peer)).append(" -j DROP\n");
            rules.append("-A INPUT -s ").append(proxiedAddress(peer)).append(" -j DROP\n");
        }
        if (loss > 0) {
            rules.append("-A INPUT -s ").append(SUBNET).append("0/24 -m statistic --mode random --probability ")
                    .append(String.format(java.util.Locale.ROOT, "%.3f", loss)).append(" -j DROP\n");
        }
        rules.append("COMMIT\n");
        Shell.runWithInput(rules.toString(), "ip", "netns", "exec", namespace(node), "iptables-restore");
    }

    /**
     * Sends node {@code node}'s connections to another node's {@code port} to the proxy instead: to
     * {@code proxiedAddress(peer):proxyPort.applyAsInt(peer)}, by NAT rules in {@code node}'s namespace
     * (the filter rules, replaced with every fault, leave them alone).
     */
    void routeThroughProxy(int node, int port, IntUnaryOperator proxyPort) {
        StringBuilder rules = new StringBuilder(
                "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
        for (int peer = 0; peer < size; peer++) {
            if (peer != node) {
                rules.append("-A OUTPUT -p tcp -d ").append(address(peer)).append(" --dport ").append(port)
                        .append(" -j DNAT --to-destination ").append(proxiedAddress(peer)).append(':')
                        .append(proxyPort.applyAsInt(peer)).append('\n');
            }
        }
        rules.append("COMMIT\n");
        Shell.runWithInput(rules.toString(), "ip", "netns", "exec", namespace(node), "iptables-restore");
    }

    private void build() {
        Shell.run("ip", "link", "add", BRIDGE, "type", "bridge");
        Shell.run("ip", "addr", "add", CLIENT_ADDRESS + "/24", "dev", BRIDGE);
        Shell.run("ip", "link", "set", BRIDGE, "up");
        for (int i = 0; i < size; i++) {
            Shell.run("ip", "addr", "add", proxiedAddress(i) + "/24", "dev", BRIDGE);
            String ns = namespace(i);
            String veth = PREFIX + "v" + (i + 1);
            Shell.run("ip", "netns", "add", ns);
            Shell.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            Shell.run("ip", "link", "set", veth, "master", BRIDGE, "up");
            Shell.run("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            Shell.run("ip", "-n", ns, "link", "set", "eth0", "up");
            Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
        }
    }

    /** Deletes what any run left: the processes in our namespaces (started by an earlier run), the namespaces, the bridge. */
    private static void removeStale() {
        List<String> stale = new ArrayList<>();
        for (String line : Shell.run("ip", "netns", "list").split("\n")) {
            String name = line.strip().split(" ")[0];
            if (name.startsWith(PREFIX)) {
                stale.add(name);
            }
        }
        for (String ns : stale) {
            String pids = Shell.attempt(null, "ip", "netns", "pids", ns).output();
            for (String pid : pids.split("\\s+")) {
                if (pid.matches("\\d+")) {
                    System.out.println("nemesis: killing pid " + pid + " left in namespace " + ns + " by an earlier run");
                    Shell.attempt(null, "kill", "-KILL", pid);
                }
            }
            Shell.attempt(null, "ip", "netns", "del", ns);
        }
        if (Shell.attempt(null, "ip", "link", "show", BRIDGE).ok()) {
            Shell.attempt(null, "ip", "link", "del", BRIDGE);
        }
    }

    /** Deletes the namespaces and the bridge (the veth pairs go with them) and releases the lock. */
    @Override
    public void close() {
        try {
            removeStale();
        } finally {
            try {
                lock.release();
                lockFile.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release " + LOCK, e);
            }
        }
    }
}
