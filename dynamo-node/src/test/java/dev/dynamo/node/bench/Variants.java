package dev.dynamo.node.bench;

import dev.dynamo.node.it.LoopbackCluster;
import dev.dynamo.node.it.NodeProcess;
import dev.dynamo.node.transport.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@link YcsbBench}'s comparisons: the same workloads on two or more clusters that differ in their settings,
 * in turn, in one run, so that the ratio of their figures is the result (absolute figures move from day to
 * day on these machines). {@code --tls-compare} runs a clear cluster against one with TLS on its internode
 * and client channels; {@code --variants} runs clusters named and set as given. The clusters not under test
 * are frozen with SIGSTOP, as {@code ../shared/peers/compare.sh} does with its peers, and given a few
 * seconds after SIGCONT for their failure detectors to hear from each other again.
 */
final class Variants {

    private static final Duration THAW = Duration.ofSeconds(5);

    /**
     * One cluster's settings: node properties ({@code --name=value}), options of the nodes' JVMs ({@code -X...},
     * {@code -D...}), and what YCSB's client needs to reach it.
     */
    record Variant(String name, List<String> nodeProperties, List<String> jvmOptions, String[] clientProperties) {

        /**
         * Variants from {@code name=--property=value -XX:+Option ...;name=...}, for example
         * {@code all-at-once=--dynamo.defaults.read-spares-after=0;r-first=} or {@code g1=;zgc=-XX:+UseZGC}.
         */
        static List<Variant> parse(String spec) {
            return Arrays.stream(spec.split(";")).map(String::strip).filter(v -> !v.isEmpty()).map(v -> {
                int equals = v.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException("a variant is name=--property=value ..., got '" + v + "'");
                }
                String settings = v.substring(equals + 1).strip();
                List<String> all = settings.isEmpty() ? List.of() : List.of(settings.split("\\s+"));
                return new Variant(v.substring(0, equals), all.stream().filter(a -> a.startsWith("--")).toList(),
                        all.stream().filter(a -> !a.startsWith("--")).toList(), new String[0]);
            }).toList();
        }
    }

    /** One running cluster. */
    private record Cluster(Variant variant, List<NodeProcess> nodes, String seeds) {
    }

    private Variants() {
    }

    /** A clear cluster against one with TLS on every channel but HTTP. */
    static void tlsCost(BenchArgs args, List<String> workloads) throws Exception {
        Path certificates = Files.createTempDirectory("ycsb-bench-certificates");
        TestCertificates.Authority authority = TestCertificates.authority(certificates, "bench-ca");
        // one certificate serves every cluster: all listen on the same hosts, 127.0.0.1 onwards, on their own ports
        LoopbackCluster addresses = LoopbackCluster.of(args.integer("nodes"));
        String[] hosts = IntStream.range(0, addresses.size()).mapToObj(addresses::host).toArray(String[]::new);
        TestCertificates.Issued certificate = authority.issue("node", hosts);
        Variant tls = new Variant("tls", List.of(
                "--spring.ssl.bundle.pem.node.keystore.certificate=" + certificate.certificate().toUri(),
                "--spring.ssl.bundle.pem.node.keystore.private-key=" + certificate.key().toUri(),
                "--spring.ssl.bundle.pem.node.truststore.certificate=" + authority.certificate().toUri(),
                "--dynamo.transport.ssl.mode=required", "--dynamo.transport.ssl.bundle=node"), List.of(),
                new String[] {"-p", "dynamo.tls.ca=" + authority.certificate()});
        try {
            run(args, workloads, List.of(new Variant("clear", List.of(), List.of(), new String[0]), tls));
        } finally {
            ClusterBench.deleteTree(certificates);
        }
    }

    /** Starts a cluster per variant, loads each, then runs every workload on each in turn, {@code --rounds} times. */
    static void run(BenchArgs args, List<String> workloads, List<Variant> variants) throws Exception {
        Path data = Files.createTempDirectory("ycsb-variants-bench");
        List<NodeProcess> all = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> all.forEach(NodeProcess::close))); // also on Ctrl-C
        try {
            List<Cluster> clusters = new ArrayList<>();
            for (Variant variant : variants) {
                clusters.add(start(variant, data, args, all, LoopbackCluster.of(args.integer("nodes"))));
                freeze(clusters.getLast(), true);
            }
            System.out.printf(Locale.ROOT, "# variants %s: clusters of %s nodes (N=3 R=2 W=2, usertable conflict=lww,"
                    + " lmdb sync=%s, heap %s), %s records of 10 x 100 bytes, %s threads, %s s per run, %s rounds%n",
                    variants.stream().map(v -> v.name() + " " + v.nodeProperties()).toList(), args.string("nodes"),
                    args.string("sync"), args.string("heap"), args.string("records"), args.string("threads"),
                    args.string("seconds"), args.string("rounds"));
            for (Cluster cluster : clusters) {
                freeze(cluster, false);
                YcsbBench.ycsb("LOAD " + cluster.variant().name(), args, cluster.seeds(), true,
                        concat(new String[] {"-load"}, cluster.variant().clientProperties()));
                freeze(cluster, true);
            }
            for (int round = 1; round <= args.integer("rounds"); round++) {
                for (String workload : workloads) {
                    for (Cluster cluster : clusters) {
                        String name = cluster.variant().name();
                        freeze(cluster, false);
                        Thread.sleep(THAW);
                        long before = cpuNanos(cluster);
                        YcsbBench.run("WORKLOAD " + workload.toUpperCase(Locale.ROOT) + " " + name + " round "
                                + round, workload, args, cluster.seeds(), true, cluster.variant().clientProperties());
                        System.out.printf(Locale.ROOT, "# %s round %d: nodes' CPU %.2f s%n", name, round,
                                (cpuNanos(cluster) - before) / 1e9);
                        freeze(cluster, true);
                    }
                }
            }
            for (Cluster cluster : clusters) {
                freeze(cluster, false);
            }
        } finally {
            all.forEach(NodeProcess::close);
            ClusterBench.deleteTree(data);
        }
    }

    private static Cluster start(Variant variant, Path data, BenchArgs args, List<NodeProcess> all,
            LoopbackCluster addresses) throws IOException {
        List<String> more = new ArrayList<>(List.of("--dynamo.buckets.usertable.conflict=lww"));
        more.addAll(variant.nodeProperties());
        List<NodeProcess> nodes = ClusterBench.startCluster(addresses,
                Files.createDirectories(data.resolve(variant.name())), args, variant.jvmOptions(),
                more.toArray(String[]::new));
        all.addAll(nodes);
        return new Cluster(variant, nodes, addresses.seeds(addresses.size()));
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
