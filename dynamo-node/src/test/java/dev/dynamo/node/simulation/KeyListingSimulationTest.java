package dev.dynamo.node.simulation;

import static dev.dynamo.node.simulation.SimulatedCluster.BUCKET;
import static dev.dynamo.node.simulation.SimulatedCluster.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.node.listing.KeyListing;
import dev.dynamo.node.membership.ClusterUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Key listing on a simulated cluster of five nodes (N=3, 32 partitions): pages merged over a coverage plan
 * list every live key once, in byte order, from any node, with a node down, and while keys change.
 */
class KeyListingSimulationTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private final SimulatedCluster cluster = new SimulatedCluster(7, 5, 32);

    @Test
    void everyLiveKeyIsListedOnceInByteOrderFromAnyNode() {
        List<String> names = IntStream.range(0, 400).mapToObj("key-%03d"::formatted).toList();
        names.forEach(this::write);
        names.stream().filter(n -> n.endsWith("7")).forEach(this::delete);
        settle();

        List<String> live = names.stream().filter(n -> !n.endsWith("7")).toList();
        for (SimulatedNode node : cluster.nodes()) {
            assertThat(listAll(node, 7)).as("listed through %s", node.id()).isEqualTo(live);
        }
        assertThat(listAll(cluster.nodes().get(0), 1000)).isEqualTo(live);
    }

    @Test
    void aNodeDownLeavesEveryKeyListedFromTheOtherReplicas() {
        List<String> names = IntStream.range(0, 200).mapToObj("key-%03d"::formatted).toList();
        names.forEach(this::write);
        settle();
        cluster.nodes().get(2).crash();
        cluster.scheduler().runFor(Duration.ofSeconds(10)); // the others' failure detectors see it down

        assertThat(listAll(cluster.nodes().get(0), 25)).isEqualTo(names);
    }

    @Test
    void aPartitionWithNoReachableReplicaFailsTheListingRatherThanSkipIt() {
        write("a");
        settle();
        List<SimulatedNode> order = cluster.preferenceOrder(key("a"));
        SimulatedNode asking = order.get(4);
        order.subList(0, 3).forEach(SimulatedNode::crash); // every replica of the key's partition
        cluster.scheduler().runFor(Duration.ofSeconds(10));

        Throwable thrown = catchThrowable(() -> asking.listing().page(BUCKET, null, 10));

        assertThat(thrown).isInstanceOf(ClusterUnavailableException.class).hasMessageContaining("no replica of partition");
    }

    @Test
    void aReplicaThatDoesNotAnswerIsReplacedByTheNextReplicaOfEachOfItsPartitions() {
        List<String> names = IntStream.range(0, 100).mapToObj("key-%03d"::formatted).toList();
        names.forEach(this::write);
        settle();
        SimulatedNode asking = cluster.nodes().get(0);
        cluster.nodes().get(1).crash(); // asked at once, before anyone's failure detector knows

        assertThat(listAll(asking, 1000)).isEqualTo(names);
        cluster.scheduler().runFor(Duration.ofSeconds(30)); // and when the detector lets a probe through
        assertThat(listAll(asking, 7)).isEqualTo(names);
    }

    @Test
    void keysLiveThroughoutAreListedOnceWhileOthersAreWrittenAndDeleted() {
        List<String> stable = IntStream.range(0, 300).filter(i -> i % 3 != 0).mapToObj("key-%03d"::formatted).toList();
        List<String> doomed = IntStream.range(0, 300).filter(i -> i % 3 == 0).mapToObj("key-%03d"::formatted).toList();
        stable.forEach(this::write);
        doomed.forEach(this::write);
        settle();

        List<String> listed = new ArrayList<>();
        byte[] after = null;
        int changes = 0;
        for (int pages = 0; pages < 1000; pages++) {
            KeyListing.Page page = cluster.await(cluster.nodes().get(pages % 5).listing().page(BUCKET, after, 10), LIMIT);
            page.keys().forEach(k -> listed.add(text(k)));
            after = page.next();
            if (after == null) {
                break;
            }
            // between pages: delete a doomed key, create a new one, on both sides of the token
            if (changes < doomed.size()) {
                delete(doomed.get(changes));
                write("new-" + changes);
                changes++;
            }
        }
        assertThat(after).as("the listing completed").isNull();
        assertThat(listed).as("in byte order, none twice").isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
        assertThat(listed).containsAll(stable);
        assertThat(new HashSet<>(listed)).as("only keys that existed at some point during it")
                .allMatch(k -> stable.contains(k) || doomed.contains(k) || k.startsWith("new-"));
        assertThat(changes).as("keys changed during the listing").isGreaterThan(10);
    }

    private List<String> listAll(SimulatedNode node, int pageSize) {
        List<String> listed = new ArrayList<>();
        byte[] after = null;
        for (int pages = 0; pages < 10_000; pages++) {
            KeyListing.Page page = cluster.await(node.listing().page(BUCKET, after, pageSize), LIMIT);
            assertThat(page.keys().size()).isLessThanOrEqualTo(pageSize);
            page.keys().forEach(k -> listed.add(text(k)));
            after = page.next();
            if (after == null) {
                return listed;
            }
        }
        throw new AssertionError("the listing did not end");
    }

    private void write(String name) {
        cluster.await(cluster.nodes().get(Math.floorMod(name.hashCode(), 5)).coordinator()
                .write(key(name), VersionVector.empty(), new Content(bytes("v"), "text/plain", 0, false), 2), LIMIT);
    }

    private void delete(String name) {
        cluster.await(cluster.nodes().get(Math.floorMod(name.hashCode(), 5)).coordinator()
                .write(key(name), null, Content.tombstone(0), 2), LIMIT);
    }

    /** Lets the third replica of every write take it too. */
    private void settle() {
        cluster.scheduler().runFor(Duration.ofSeconds(2));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
