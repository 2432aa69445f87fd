package dev.dynamo.test;

import dev.dynamo.test.DynamoTest.Storage;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How long a test cluster takes to be ready, against the plain way to run a node ({@code java -jar} on the
 * repackaged jar, default JVM flags, until health answers), alternating the two in one run so the ratio holds
 * on a machine whose speed moves. Prints the median of each over {@code rounds} (first argument, default 5),
 * after one start of each that warms the cache (extraction, class-data archive). Run by
 * {@code dynamo-test/startup-bench.sh}.
 */
public final class ClusterStartupBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("dynamo-startup-bench-");
        Path fatJar = work.resolve("dynamo-node.jar");
        try (InputStream resource = ClusterStartupBench.class.getResourceAsStream("dynamo-node.jar")) {
            Files.copy(resource, fatJar);
        }
        LongSupplier plain = () -> plainStartMillis(fatJar, work);
        LongSupplier oneNode = () -> clusterStartMillis(1);
        LongSupplier threeNodes = () -> clusterStartMillis(3);
        List<Long> plainTimes = new ArrayList<>();
        List<Long> oneTimes = new ArrayList<>();
        List<Long> threeTimes = new ArrayList<>();
        System.out.printf("warm-up (first start, cache as found): plain %d ms, @DynamoTest 1 node %d ms%n",
                plain.getAsLong(), oneNode.getAsLong());
        for (int round = 0; round < rounds; round++) {
            plainTimes.add(plain.getAsLong());
            oneTimes.add(oneNode.getAsLong());
            threeTimes.add(threeNodes.getAsLong());
        }
        long plainMedian = median(plainTimes);
        long oneMedian = median(oneTimes);
        System.out.printf("median of %d: plain java -jar, 1 node: %d ms; @DynamoTest 1 node: %d ms (%.2fx faster); "
                + "@DynamoTest 3 nodes: %d ms%n", rounds, plainMedian, oneMedian, (double) plainMedian / oneMedian,
                median(threeTimes));
        NodeRuntime.deleteTree(work);
    }

    private static long clusterStartMillis(int nodes) {
        try (DynamoCluster cluster = DynamoCluster.start(nodes, Storage.MEMORY)) {
            return cluster.startupTime().toMillis();
        }
    }

    private static long plainStartMillis(Path fatJar, Path work) {
        long started = System.nanoTime();
        TestNode node = null;
        try (HttpClient http = HttpClient.newHttpClient()) {
            int[] ports = DynamoCluster.freePorts(2);
            node = TestNode.launch("plain", Files.createTempDirectory(work, "plain-"),
                    List.of(NodeRuntime.javaExecutable(), "-Xmx256m", "-jar", fatJar.toString()), ports[0], ports[1],
                    List.of("--dynamo.storage.engine=memory"));
            node.awaitHealthy(http, started + Duration.ofSeconds(90).toNanos());
            return Duration.ofNanos(System.nanoTime() - started).toMillis();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (node != null) {
                node.stop();
                node.awaitExit();
            }
        }
    }

    private static long median(List<Long> times) {
        return times.stream().sorted().toList().get(times.size() / 2);
    }
}
