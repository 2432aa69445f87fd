package dev.dynamo.node.bench;

import dev.dynamo.node.it.LoopbackCluster;
import dev.dynamo.node.it.NodeProcess;
import dev.dynamo.node.transport.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@link YcsbBench}'s {@code --tls-compare}: the same workloads on a clear cluster and on one with TLS on its
 * internode and client channels, in turn, in one run, so that the ratio of the two is the figure (absolute
 * figures move from day to day on these machines). The cluster not under test is frozen with SIGSTOP, as
 * {@code ../shared/peers/compare.sh} does with its peers, and given a few seconds after SIGCONT for its
 * failure detectors to hear from each other again.
 */
final class TlsCost {

    private static final Duration THAW = Duration.ofSeconds(5);

    /** One of the two clusters: its nodes, its seeds, and what YCSB's client needs to reach it. */
    private record Cluster(String name, List<NodeProcess> nodes, String seeds, String[] clientProperties) {
    }

    private TlsCost() {
    }

    static void run(BenchArgs args, List<String> workloads) throws Exception {
        Path data = Files.createTempDirectory("ycsb-tls-bench");
        List<NodeProcess> all = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> all.forEach(NodeProcess::close))); // also on Ctrl-C
        try {
            Cluster clear = start("clear", data, args, all, null);
            TestCertificates.Authority authority = TestCertificates.authority(
                    Files.createDirectories(data.resolve("certificates")), "bench-ca");
            Cluster tls = start("tls", data, args, all, authority);
            System.out.printf(Locale.ROOT, "# TLS cost: two clusters of %s nodes (N=3 R=2 W=2, usertable conflict=lww, lmdb"
                    + " sync=%s, heap %s), %s records of 10 x 100 bytes, %s threads, %s s per run, %s rounds%n",
                    args.string("nodes"), args.string("sync"), args.string("heap"), args.string("records"),
                    args.string("threads"), args.string("seconds"), args.string("rounds"));
            for (Cluster cluster : List.of(clear, tls)) {
                freeze(cluster, false);
                YcsbBench.ycsb("LOAD " + cluster.name(), args, cluster.seeds(), true,
                        concat(new String[] {"-load"}, cluster.clientProperties()));
                freeze(cluster, true);
            }
            for (int round = 1; round <= args.integer("rounds"); round++) {
                for (String workload : workloads) {
                    for (Cluster cluster : List.of(clear, tls)) {
                        freeze(cluster, false);
                        Thread.sleep(THAW);
                        long before = cpuNanos(cluster);
                        YcsbBench.run("WORKLOAD " + workload.toUpperCase(Locale.ROOT) + " " + cluster.name() + " round "
                                + round, workload, args, cluster.seeds(), true, cluster.clientProperties());
                        System.out.printf(Locale.ROOT, "# %s round %d: nodes' CPU %.2f s%n", cluster.name(), round,
                                (cpuNanos(cluster) - before) / 1e9);
                        freeze(cluster, true);
                    }
                }
            }
            freeze(clear, false);
            freeze(tls, false);
        } finally {
            all.forEach(NodeProcess::close);
            ClusterBench.deleteTree(data);
        }
    }

    /** Starts a cluster, with TLS from certificates of {@code authority} unless it is null. */
    private static Cluster start(String name, Path data, BenchArgs args, List<NodeProcess> all,
            TestCertificates.Authority authority) throws IOException {
        LoopbackCluster addresses = LoopbackCluster.of(args.integer("nodes"));
        List<String> more = new ArrayList<>(List.of("--dynamo.buckets.usertable.conflict=lww"));
        String[] client = {};
        if (authority != null) {
            String[] hosts = IntStream.range(0, addresses.size()).mapToObj(addresses::host).toArray(String[]::new);
            TestCertificates.Issued certificate = authority.issue("node", hosts);
            more.addAll(List.of(
                    "--spring.ssl.bundle.pem.node.keystore.certificate=" + certificate.certificate().toUri(),
                    "--spring.ssl.bundle.pem.node.keystore.private-key=" + certificate.key().toUri(),
                    "--spring.ssl.bundle.pem.node.truststore.certificate=" + authority.certificate().toUri(),
                    "--dynamo.transport.ssl.mode=required", "--dynamo.transport.ssl.bundle=node"));
            client = new String[] {"-p", "dynamo.tls.ca=" + authority.certificate()};
        }
        List<NodeProcess> nodes = ClusterBench.startCluster(addresses, Files.createDirectories(data.resolve(name)), args,
                more.toArray(String[]::new));
        all.addAll(nodes);
        return new Cluster(name, nodes, addresses.seeds(addresses.size()), client);
    }

    private static void freeze(Cluster cluster, boolean frozen) throws IOException, InterruptedException {
        for (NodeProcess node : cluster.nodes()) {
            new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(node.pid())).inheritIO().start().waitFor();
        }
    }

    private static long cpuNanos(Cluster cluster) {
        return cluster.nodes().stream().mapToLong(node -> Phase.processCpuNanos(node.pid())).sum();
    }

    private static String[] concat(String[] first, String[] second) {
        String[] both = new String[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
