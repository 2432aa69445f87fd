package dev.dynamo.node.bench;

import dev.dynamo.node.it.KvClient;
import dev.dynamo.node.it.LoopbackCluster;
import dev.dynamo.node.it.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What a bucket truncation costs client traffic to other buckets (a program, not a test): starts three nodes
 * as {@link YcsbBench} does, loads {@code --doomed} keys of 100 bytes into bucket {@code doomed} and
 * {@code --records} YCSB records into {@code usertable}, runs workload {@code --workload} on {@code usertable}
 * capped at {@code --target} operations per second for {@code --seconds} ("before"), then starts the truncation
 * of {@code doomed} ({@code DELETE /kv/doomed} on node 1) and runs the same again ("during"). YCSB prints the
 * p50/p99/p99.9 of each run; the truncation's progress is printed after each.
 *
 * <pre>--doomed 1000000  --records 100000  --threads 32  --seconds 60  --workload a  --target 2000
 * --heap 512m  --sync always  --keys-per-second 1000</pre>
 */
public final class TruncateBench {

    private TruncateBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv, Map.ofEntries(Map.entry("doomed", "1000000"),
                Map.entry("records", "100000"), Map.entry("threads", "32"), Map.entry("seconds", "60"),
                Map.entry("workload", "a"), Map.entry("target", "2000"), Map.entry("heap", "512m"),
                Map.entry("sync", "always"), Map.entry("keys-per-second", "1000"), Map.entry("jfr", "")));
        Path data = Files.createTempDirectory("truncate-bench");
        LoopbackCluster cluster = LoopbackCluster.of(3);
        List<NodeProcess> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(NodeProcess::close))); // also on Ctrl-C
        try {
            nodes.addAll(ClusterBench.startCluster(cluster, data, args, List.of(),
                    "--dynamo.buckets.usertable.conflict=lww", "--dynamo.buckets.doomed.conflict=lww",
                    "--dynamo.truncate.keys-per-second=" + args.string("keys-per-second")));
            String seeds = String.join(",", IntStream.range(0, cluster.size()).mapToObj(cluster::internode).toList());
            System.out.printf(Locale.ROOT, "# 3 nodes (N=3 R=2 W=2, lmdb sync=%s, heap %s): %s keys in doomed, %s records"
                    + " in usertable; workload %s at %s ops/s for %s s before and during the truncation of doomed"
                    + " (%s keys/s at most)%n", args.string("sync"), args.string("heap"), args.string("doomed"),
                    args.string("records"), args.string("workload"), args.string("target"), args.string("seconds"),
                    args.string("keys-per-second"));
            YcsbBench.ycsb("LOAD doomed", args, seeds, true, List.of("table=doomed", "recordcount=" + args.string("doomed"),
                    "fieldcount=1", "fieldlength=100"), "-load");
            YcsbBench.ycsb("LOAD usertable", args, seeds, true, "-load");
            YcsbBench.run("WORKLOAD " + args.string("workload").toUpperCase(Locale.ROOT) + " on usertable, BEFORE",
                    args.string("workload"), args, seeds, true);
            try (KvClient node1 = new KvClient(nodes.getFirst().baseUrl())) {
                System.out.println("# truncation started: " + KvClient.text(node1.truncate("doomed")));
                YcsbBench.run("WORKLOAD " + args.string("workload").toUpperCase(Locale.ROOT) + " on usertable, DURING",
                        args.string("workload"), args, seeds, true);
                System.out.println("# truncation after the run: " + new String(
                        node1.operatorGet("/admin/api/truncations/doomed").body(), StandardCharsets.UTF_8));
            }
            System.out.println("# " + ClusterBench.memory(nodes));
        } finally {
            nodes.forEach(NodeProcess::close);
            ClusterBench.deleteTree(data);
        }
    }
}
