package dev.dynamo.node.bench;

import dev.dynamo.node.it.LoopbackCluster;
import dev.dynamo.node.it.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Cluster benchmark (a program, not a test): starts three nodes in three JVMs on 127.0.0.1, .2
 * and .3 (N=3, R=2, W=2, LMDB in a fresh temporary directory, heap capped by {@code --heap}),
 * preloads {@code --keys} keys, then runs one closed-loop phase per read/update mix in
 * {@code --mixes} (percent of reads) and prints, per operation, throughput and p50/p99/p99.9, and
 * per node the cores it used and its resident memory. Every request goes to a node drawn at
 * random, as behind a load balancer. The nodes are killed and their data deleted at the end.
 *
 * <p>As in {@link HttpBench}, an update never makes a sibling: key {@code i} is updated only by
 * worker {@code i % threads}, with the causal context of its own previous write; reads draw any
 * key. A sample GET at the end checks that no key has siblings.
 *
 * <p>With {@code --jfr <settings>} ({@code profile}, or a {@code .jfc} file made with
 * {@code jfr configure}), node 1 records the run into {@code target/cluster-bench-node1.jfr} (read
 * it with {@link JfrBuckets}).
 *
 * <pre>--keys 100000  --value-size 1024  --threads 64  --warmup 5  --seconds 20  --mixes 50,95
 * --heap 512m  --sync always  --jfr (none)</pre>
 */
public final class ClusterBench {

    private static final int NODES = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int DISTINCT_VALUES = 64;

    private ClusterBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv, Map.of("keys", "100000", "value-size", "1024", "threads", "64",
                "warmup", "5", "seconds", "20", "mixes", "50,95", "heap", "512m", "sync", "always", "jfr", ""));
        int keyCount = args.integer("keys");
        int threads = args.integer("threads");
        if (keyCount < threads) {
            throw new IllegalArgumentException("--keys must be at least --threads: every worker owns keys to update");
        }
        int valueSize = args.integer("value-size");
        Duration warmup = Duration.ofSeconds(args.integer("warmup"));
        Duration measured = Duration.ofSeconds(args.integer("seconds"));
        List<Integer> mixes = Stream.of(args.string("mixes").split(",")).map(String::trim).map(Integer::parseInt).toList();

        Path data = Files.createTempDirectory("cluster-bench");
        List<NodeProcess> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(NodeProcess::close))); // also on Ctrl-C
        try {
            nodes.addAll(startCluster(LoopbackCluster.of(NODES), data, args, List.of()));
            System.out.printf(Locale.ROOT, "# 3 nodes (N=3 R=2 W=2, lmdb sync=%s, heap %s), %d keys, %d-byte values, %d threads, %ds warm-up + %ds per mix%n",
                    args.string("sync"), args.string("heap"), keyCount, valueSize, threads, warmup.toSeconds(), measured.toSeconds());
            run(nodes, keyCount, valueSize, threads, warmup, measured, mixes);
            nodes.forEach(NodeProcess::stop); // gracefully, so a JFR recording is written out
        } finally {
            nodes.forEach(NodeProcess::close);
            deleteTree(data);
        }
    }

    /**
     * The nodes of {@code cluster}, with {@code --heap}, {@code --sync} and {@code --jfr} of {@code args}, the JVM
     * options {@code jvmOptions}, and {@code more} arguments.
     */
    static List<NodeProcess> startCluster(LoopbackCluster cluster, Path data, BenchArgs args, List<String> jvmOptions,
            String... more) {
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + args.string("heap"), "-Xms" + args.string("heap")));
            jvm.addAll(jvmOptions);
            if (i == 0 && !args.string("jfr").isEmpty()) {
                jvm.addAll(List.of("-XX:FlightRecorderOptions=stackdepth=512", "-XX:StartFlightRecording=filename=target/cluster-bench-node1.jfr,settings=" + args.string("jfr")));
            }
            nodes.add(NodeProcess.launch("cluster-bench-node" + (i + 1), cluster.host(i), cluster.httpPort(i),
                    data.resolve("node" + (i + 1)), jvm, cluster.nodeArgs(i, "cluster-bench-secret", cluster.seeds(cluster.size()),
                    Stream.concat(Stream.of("--dynamo.storage.sync=" + args.string("sync"), "--logging.level.root=WARN"),
                            Stream.of(more)).toArray(String[]::new))));
        }
        nodes.forEach(NodeProcess::awaitHealthy);
        return nodes;
    }

    private static void run(List<NodeProcess> nodes, int keyCount, int valueSize, int threads, Duration warmup,
            Duration measured, List<Integer> mixes) throws Exception {
        String prefix = "/kv/bench/" + Long.toString(System.currentTimeMillis(), 36) + "-k";
        String[] paths = new String[keyCount];
        Arrays.setAll(paths, key -> prefix + key);
        SplittableRandom random = new SplittableRandom(42);
        byte[][] values = new byte[DISTINCT_VALUES][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[valueSize];
            random.nextBytes(values[i]);
        }
        Map<String, LongSupplier> cpu = Phase.standardCpuClocks();
        for (int i = 0; i < nodes.size(); i++) {
            long pid = nodes.get(i).pid();
            cpu.put("node" + (i + 1), () -> Phase.processCpuNanos(pid));
        }
        List<HttpDriver> drivers = new ArrayList<>();
        try {
            for (NodeProcess node : nodes) {
                drivers.add(new RawHttpDriver(node.baseUrl().toString(), threads, TIMEOUT));
            }
            String[] contexts = new String[keyCount]; // key i is only touched by worker i % threads
            long loadStart = System.nanoTime();
            HttpBench.preload(key -> drivers.get(key % drivers.size()), paths, values, contexts, threads);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            System.out.printf(Locale.ROOT, "LOAD   %,.0f keys/s (%d keys, %.1f s)%n", keyCount / loadSeconds, keyCount, loadSeconds);
            for (int readPercent : mixes) {
                Phase.Result result = Phase.run("mix" + readPercent, List.of("read", "update"), threads, warmup, measured,
                        readPercent, cpu, (worker, r) -> {
                            HttpDriver http = drivers.get(r.nextInt(drivers.size()));
                            if (r.nextInt(100) < readPercent) {
                                HttpDriver.Reply reply = http.get(worker, paths[r.nextInt(keyCount)]);
                                if (reply.status() != 200 || reply.bodyLength() != valueSize) {
                                    throw new IllegalStateException("GET answered " + reply.status() + " with " + reply.bodyLength() + " bytes");
                                }
                                return 0;
                            }
                            int owned = (keyCount - worker + threads - 1) / threads; // keys worker, worker + threads, ...
                            int key = worker + r.nextInt(owned) * threads;
                            contexts[key] = HttpBench.put(http, worker, paths[key], contexts[key], values[r.nextInt(values.length)]);
                            return 1;
                        });
                System.out.printf(Locale.ROOT, "MIX %d/%d  %s%n  %s%n", readPercent, 100 - readPercent, result.summary(), memory(nodes));
            }
            System.out.println("CHECK  " + HttpBench.checkNoSiblings(drivers.getFirst(), paths));
        } finally {
            for (HttpDriver driver : drivers) {
                driver.close();
            }
        }
    }

    /** Each node's resident set size, from {@code /proc/<pid>/status} (Linux). */
    static String memory(List<NodeProcess> nodes) {
        StringBuilder line = new StringBuilder("rss:");
        for (int i = 0; i < nodes.size(); i++) {
            String rss;
            try {
                rss = Files.readAllLines(Path.of("/proc", Long.toString(nodes.get(i).pid()), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
            } catch (IOException e) {
                rss = "?";
            }
            line.append(" node").append(i + 1).append('=').append(rss);
        }
        return line.toString();
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
