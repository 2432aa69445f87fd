package dev.dynamo.node.bench;

import dev.dynamo.node.it.LoopbackCluster;
import dev.dynamo.node.it.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * YCSB benchmark (a program, not a test): starts three nodes as {@link ClusterBench} does (N=3, R=2, W=2) with
 * bucket {@code usertable} on {@code conflict=lww} (YCSB's updates are blind writes), loads {@code --records}
 * records of ten 100-byte fields (1 KiB) through {@link DynamoYcsbClient}, then runs each of
 * {@code --workloads} (YCSB's core workloads A, B, C: 50, 95 and 100% reads, zipfian keys) for
 * {@code --seconds} with client-driven routing; then, for each of {@code --compare}, runs it with routing off (every
 * request to any node, which coordinates or forwards it) and right after with routing on again, so the two
 * are measured equally warm. Each YCSB run is its own JVM, and its report
 * (throughput, and per operation p50/p99/p99.9 from HdrHistogram) is printed as YCSB writes it.
 *
 * <pre>--records 100000  --threads 32  --seconds 30  --workloads a,b,c  --compare a,c  --heap 512m  --sync always
 * --jfr (none)  --nodes 3  --tls-compare (none)  --variants (none)  --rounds 2  --target 0</pre>
 *
 * <p>{@code --target} caps each workload run at that many operations per second (YCSB's {@code -target}; 0:
 * as fast as it can), for latency below saturation.
 *
 * <p>{@code --tls-compare a} measures what TLS costs instead, in one run: a clear cluster and one with TLS on
 * its internode and client channels (mutual TLS between nodes, {@code mode=required}, the client checking
 * the nodes' certificates against their CA; certificates made now), both started and loaded, then the
 * workload on each in turn for {@code --rounds} rounds, the cluster not under test frozen (SIGSTOP) as
 * {@code ../shared/peers/compare.sh} does. The nodes' CPU time during each run is printed beside YCSB's report.
 *
 * <p>{@code --variants 'all-at-once=--dynamo.defaults.read-spares-after=0;r-first='} does the same for clusters
 * that differ in any node settings: one cluster per variant, each loaded, then {@code --workloads} on each in
 * turn for {@code --rounds} rounds.
 *
 * <p>With {@code --nodes} above N (3), a node is not a replica of every key, so the comparison shows what
 * client-driven routing saves: the hop from a coordinator outside the preference list.
 *
 * <p>{@code --jfr} records node 1 as in {@link ClusterBench}, over the whole run, the load included; the nodes
 * are stopped gracefully at the end so the recording is written out. To profile one workload only, start and
 * stop a recording with {@code jcmd <pid> JFR.start} and {@code JFR.stop} during it instead.
 */
public final class YcsbBench {

    private static final Map<String, Integer> READ_PERCENT = Map.of("a", 50, "b", 95, "c", 100);

    private YcsbBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv, Map.ofEntries(Map.entry("records", "100000"), Map.entry("threads", "32"),
                Map.entry("seconds", "30"), Map.entry("workloads", "a,b,c"), Map.entry("compare", "a,c"),
                Map.entry("heap", "512m"), Map.entry("sync", "always"), Map.entry("jfr", ""), Map.entry("nodes", "3"),
                Map.entry("tls-compare", ""), Map.entry("variants", ""), Map.entry("rounds", "2"),
                Map.entry("target", "0")));
        if (!args.string("tls-compare").isEmpty()) {
            Variants.tlsCost(args, list(args.string("tls-compare")));
            return;
        }
        if (!args.string("variants").isEmpty()) {
            Variants.run(args, list(args.string("workloads")), Variants.Variant.parse(args.string("variants")));
            return;
        }
        Path data = Files.createTempDirectory("ycsb-bench");
        LoopbackCluster cluster = LoopbackCluster.of(args.integer("nodes"));
        List<NodeProcess> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(NodeProcess::close))); // also on Ctrl-C
        try {
            nodes.addAll(ClusterBench.startCluster(cluster, data, args, List.of(), "--dynamo.buckets.usertable.conflict=lww"));
            String seeds = String.join(",", IntStream.range(0, cluster.size()).mapToObj(cluster::internode).toList());
            System.out.printf(Locale.ROOT, "# %s nodes (N=3 R=2 W=2, usertable conflict=lww, lmdb sync=%s, heap %s), %s records"
                    + " of 10 x 100 bytes, %s threads, %s s per workload%n", args.string("nodes"), args.string("sync"), args.string("heap"),
                    args.string("records"), args.string("threads"), args.string("seconds"));
            ycsb("LOAD", args, seeds, true, "-load");
            for (String workload : list(args.string("workloads"))) {
                run(workload, args, seeds, true);
            }
            for (String workload : list(args.string("compare"))) {
                run(workload, args, seeds, false);
                run(workload, args, seeds, true);
            }
            System.out.println("# " + ClusterBench.memory(nodes));
            nodes.forEach(NodeProcess::stop); // gracefully, so a JFR recording is written out
        } finally {
            nodes.forEach(NodeProcess::close);
            ClusterBench.deleteTree(data);
        }
    }

    static void run(String workload, BenchArgs args, String seeds, boolean routing, String... more) throws Exception {
        run("WORKLOAD " + workload.toUpperCase(Locale.ROOT) + (routing ? " (client-driven routing)"
                : " (routing off: any node)"), workload, args, seeds, routing, more);
    }

    static void run(String title, String workload, BenchArgs args, String seeds, boolean routing, String... more)
            throws Exception {
        int reads = READ_PERCENT.get(workload);
        ycsb(title, args, seeds, routing, Stream.concat(Stream.of("-t", "-p", "readproportion=" + reads / 100.0,
                "-p", "updateproportion=" + (100 - reads) / 100.0), Stream.of(more)).toArray(String[]::new));
    }

    static List<String> list(String names) {
        List<String> workloads = Stream.of(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        workloads.stream().filter(w -> !READ_PERCENT.containsKey(w)).findFirst().ifPresent(w -> {
            throw new IllegalArgumentException("unknown workload '" + w + "': a, b or c");
        });
        return workloads;
    }

    /** Runs YCSB's client in its own JVM on this one's classpath, its report going to our output. */
    static void ycsb(String title, BenchArgs args, String seeds, boolean routing, String... phase)
            throws Exception {
        ycsb(title, args, seeds, routing, List.of(), phase);
    }

    /** As {@link #ycsb(String, BenchArgs, String, boolean, String...)}, with YCSB properties that override ours. */
    static void ycsb(String title, BenchArgs args, String seeds, boolean routing, List<String> properties,
            String... phase) throws Exception {
        System.out.println("## " + title);
        System.out.flush();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "site.ycsb.Client", "-db",
                DynamoYcsbClient.class.getName(), "-threads", args.string("threads"), "-s"));
        command.addAll(List.of(phase));
        for (String property : List.of("workload=site.ycsb.workloads.CoreWorkload", "table=usertable",
                "recordcount=" + args.string("records"), "operationcount=1000000000", "fieldcount=10", "fieldlength=100",
                "writeallfields=true", "readallfields=true", "requestdistribution=zipfian",
                "measurementtype=hdrhistogram", "hdrhistogram.percentiles=50,99,99.9", "status.interval=10",
                "dynamo.seeds=" + seeds, "dynamo.routing=" + routing)) {
            command.addAll(List.of("-p", property));
        }
        properties.forEach(property -> command.addAll(List.of("-p", property)));
        if (phase[0].equals("-t")) { // a load inserts every record, however long that takes, as fast as it can
            command.addAll(List.of("-p", "maxexecutiontime=" + args.string("seconds")));
            if (args.integer("target") > 0) {
                command.addAll(List.of("-target", args.string("target")));
            }
        }
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("YCSB " + title + " exited with status " + exit);
        }
    }
}
