package dev.dynamo.node.it;

import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Where the nodes of a test cluster listen: node {@code i} (from 0) on host {@code 127.0.0.<i+1>}
 * (loopback holds all of 127.0.0.0/8) with a free HTTP port and a free internode port, chosen once.
 */
public final class LoopbackCluster {

    private final int[] httpPorts;
    private final int[] transportPorts;

    private LoopbackCluster(int size) {
        httpPorts = IntStream.range(0, size).map(i -> NodeProcess.freePort()).toArray();
        transportPorts = IntStream.range(0, size).map(i -> NodeProcess.freePort()).toArray();
    }

    /** Addresses for {@code size} nodes. */
    public static LoopbackCluster of(int size) {
        return new LoopbackCluster(size);
    }

    /** How many nodes it has addresses for. */
    public int size() {
        return httpPorts.length;
    }

    public String host(int i) {
        return "127.0.0." + (i + 1);
    }

    public int httpPort(int i) {
        return httpPorts[i];
    }

    /** Node {@code i}'s internode address, {@code host:port}. */
    public String internode(int i) {
        return host(i) + ":" + transportPorts[i];
    }

    /** The internode addresses of the first {@code count} nodes, as {@code dynamo.cluster.seeds} takes them. */
    public String seeds(int count) {
        return String.join(",", IntStream.range(0, count).mapToObj(this::internode).toList());
    }

    /**
     * The arguments of node {@code i}: what every node of the cluster starts with (its id
     * {@code node<i+1>}, the cluster's secret, the seeds, its internode host and port), then {@code more}.
     */
    public String[] nodeArgs(int i, String secret, String seeds, String... more) {
        return Stream.concat(Stream.of("--dynamo.node.id=node" + (i + 1), "--dynamo.cluster.secret=" + secret,
                "--dynamo.cluster.seeds=" + seeds, "--dynamo.transport.host=" + host(i),
                "--dynamo.transport.port=" + transportPorts[i]), Stream.of(more)).toArray(String[]::new);
    }
}
