package dev.dynamo.node.it.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.node.it.KvClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real faults on real processes: five node JVMs, each in its own network namespace, under seeded
 * fault schedules (partitions of every shape, packet loss, delays in the internode proxy, SIGSTOP
 * pauses, SIGKILL and restart, one node's clock skewed, some of them overlapping) while clients add
 * unique elements to shopping carts (over HTTP and through the starter's client), delete and re-add
 * keys, and write lww registers; after each schedule every fault is healed and every acknowledged
 * element must be on every replica, and read back. CI runs the fixed seeds below (RELIABILITY.md lists
 * what they cover); long runs pass {@code -Dnemesis.seeds=1-200} (a range or a comma list) and
 * {@code -Dnemesis.window=60s} (faults per schedule). The figures of each schedule are printed and
 * appended to {@code target/nemesis/report.txt}; see RELIABILITY.md.
 */
class NemesisIT {

    /** Between them: kill, pause, split, loss, delay, clocks behind and ahead, two overlaps (RELIABILITY.md). */
    private static final String DEFAULT_SEEDS = "3,4";
    private static final String DEFAULT_WINDOW = "30s";
    /** Short, so tombstones are reaped (and hints dropped) within a schedule. */
    private static final String TOMBSTONE_GRACE = "2s";
    /** The bucket of the lww registers, the only one configured {@code conflict=lww}. */
    static final String LWW_BUCKET = "lww";
    private static final Path REPORT = Path.of("target", "nemesis", "report.txt");

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedCartElementSurvivesEveryFaultSchedule() throws Exception {
        String unavailable = NetnsNetwork.unavailableReason();
        assertThat(unavailable).as("the nemesis harness cannot run here").isNull();
        long[] seeds = seeds(System.getProperty("nemesis.seeds", DEFAULT_SEEDS));
        long window = Duration.parse("PT" + System.getProperty("nemesis.window", DEFAULT_WINDOW)).toMillis();
        Files.createDirectories(REPORT.getParent());
        List<String> failed = new ArrayList<>();
        long began = System.nanoTime();
        try (NamespacedCluster cluster = NamespacedCluster.start(5, data,
                List.of("--dynamo.antientropy.tombstone-grace=" + TOMBSTONE_GRACE,
                        "--dynamo.buckets." + LWW_BUCKET + ".conflict=lww"));
                DynamoClient starter = new NettyDynamoClient(ClientSettings.of(IntStream.range(0, cluster.size())
                        .mapToObj(cluster::transportAddress).toList()))) {
            List<KvClient> clients = IntStream.range(0, cluster.size())
                    .mapToObj(i -> new KvClient(cluster.baseUrl(i))).toList();
            try {
                append("# NemesisIT " + Instant.now() + ", seeds " + System.getProperty("nemesis.seeds", DEFAULT_SEEDS)
                        + ", window " + window + " ms; cluster up after "
                        + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s\n");
                for (long seed : seeds) {
                    NemesisRun run = new NemesisRun(FaultSchedule.draw(seed, cluster.size(), window))
                            .run(cluster, clients, starter);
                    String report = run.report();
                    System.out.print(report);
                    append(report);
                    if (!run.passed()) {
                        failed.add(report);
                    }
                }
            } finally {
                clients.forEach(KvClient::close);
            }
        }
        append("# " + seeds.length + " schedules, " + failed.size() + " failed, "
                + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s\n");
        assertThat(failed).as("failing schedules (node logs in target/it-logs/NemesisIT-*.log)").isEmpty();
    }

    /** {@code "1,2,5"} or {@code "1-200"}. */
    private static long[] seeds(String spec) {
        if (spec.matches("\\d+-\\d+")) {
            String[] bounds = spec.split("-");
            return LongStream.rangeClosed(Long.parseLong(bounds[0]), Long.parseLong(bounds[1])).toArray();
        }
        return java.util.Arrays.stream(spec.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
    }

    private static void append(String text) throws IOException {
        Files.writeString(REPORT, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
